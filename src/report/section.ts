import type { ToolCommand } from './commandRunner';

/** What every section of the findings report is: the framework each file of sections/ fills. */
export type ReportSize = 'small' | 'full';

export interface SectionContext {
  readonly size: ReportSize;
  /** runs a command of the tool and returns its JSON */
  readonly run: (command: ToolCommand) => Promise<Record<string, unknown>>;
  /** a figure file: `path` for the command that draws it, `link` for the report that shows it */
  readonly figure: (name: string) => { readonly path: string; readonly link: string };
  /** writes a file a later command reads (a test that rebuilds the report from kept results writes nothing) */
  readonly write: (path: string, text: string) => void;
}

/** One experiment of the findings report: what a paper found, and what the tool measures of it. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** what the paper (or the textbook) found */
  readonly paper: string;
  readonly build: (ctx: SectionContext) => Promise<SectionBody>;
}

export interface SectionBody {
  /** the commands that regenerate every number below */
  readonly commands: readonly ToolCommand[];
  /** what we found: tables with intervals */
  readonly found: string;
  /** where it agrees with the paper and where it differs, computed from the numbers */
  readonly differs: string;
  /** PNGs the commands drew from their data */
  readonly figures?: readonly { readonly link: string; readonly caption: string }[];
}
