/*
 * The form's values and the keys of a preset's knobs: what fields.ts, form.ts and taskShape.ts all
 * read, on its own so none of them imports another back.
 */

/**
 * The form as text, one string per field, keyed by the names the URL hash uses (fields.ts).
 * Keeping the text (not parsed values) lets a half-typed "0." stay on screen while it is invalid.
 */
export type FormValues = Record<string, string>;

/** A preset's knobs are fields too, keyed `k.<name>` and listed after the task. */
export const KNOB_PREFIX = 'k.';
export type KnobKey = `${typeof KNOB_PREFIX}${string}`;

export const knobKey = (name: string): KnobKey => `${KNOB_PREFIX}${name}`;
