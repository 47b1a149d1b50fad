import { getContext, setContext } from 'svelte';

/**
 * The outcome class the reader picked (a row of Outcomes, a key of a legend, a box of Geometry):
 * one selection that every view highlights, as the selected particle is one selection every view
 * marks. Clicking the picked class again lets it go. Views that do not hold the sandbox read it
 * through Svelte's context (provided once by App).
 */
export class ClassHighlight {
  name = $state<string | undefined>();

  toggle(name: string): void {
    this.name = this.name === name ? undefined : name;
  }

  /** whether `name` is picked; false for every class while none is */
  is(name: string): boolean {
    return this.name === name;
  }

  /** another class is picked: `name` is drawn muted */
  muted(name: string): boolean {
    return this.name !== undefined && this.name !== name;
  }
}

/** What a picture paints an unpicked class in while another is picked: a light grey, so the picked one stands out. */
export const MUTED_CLASS_CSS = '#d4d4d4';

const KEY = Symbol('class highlight');

export function provideClassHighlight(highlight: ClassHighlight): void {
  setContext(KEY, highlight);
}

/** The page's class highlight; a component drawn outside App (a test, an export) gets one of its own that nothing else reads. */
export function classHighlight(): ClassHighlight {
  return getContext<ClassHighlight | undefined>(KEY) ?? new ClassHighlight();
}
