/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { SandboxApi } from './sandboxApi';

// The whole engine lives here, off the page's thread: the UI reaches it only through comlink.
Comlink.expose(new SandboxApi());
