// The basin-atlas process (bin/basin-atlas.js imports this file): the command line of
// src/cli/main.ts given this process's arguments, streams, signals and exit.
import { runCommandLine } from './main';

// a closed stderr leaves nobody to tell: its errors must not crash the process
process.stderr.on('error', () => {});
const code = await runCommandLine(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
  exit: (status) => process.exit(status),
  env: process.env,
  ppid: () => process.ppid,
});
// Dawn keeps native handles alive: exit explicitly once the output is flushed
process.exit(code);
