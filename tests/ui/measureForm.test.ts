import { describe, expect, it } from 'vitest';
import { parseMeasureForm, SANDBOX_MEASURES } from '../../src/ui/state/measureForm';

describe('the "Measure sharpness, width, LLC" form', () => {
  it('defaults to the light sandbox settings, at most the ensemble', () => {
    expect(parseMeasureForm({}, 1024)).toEqual({ request: { ...SANDBOX_MEASURES, skipLlc: false }, errors: {} });
    expect(parseMeasureForm({}, 40).request?.particles).toBe(40);
  });

  it("names the field and core's range when a value is bad, and measures nothing", () => {
    const bad = parseMeasureForm({ directions: '0', chains: 'x', particles: '65' }, 64);
    expect(bad.request).toBeUndefined();
    expect(bad.errors).toEqual({
      particles: 'particles to measure must be an integer from 1 to 64, got "65"',
      directions: 'directions must be an integer from 1 to 256, got "0"',
      chains: 'chains per particle must be an integer from 1 to 64, got "x"',
    });
  });

  it('does not read the LLC fields when the LLC is skipped', () => {
    const skipped = parseMeasureForm({ draws: '0', skipLlc: true }, 64);
    expect(skipped.errors).toEqual({});
    expect(skipped.request?.skipLlc).toBe(true);
  });
});
