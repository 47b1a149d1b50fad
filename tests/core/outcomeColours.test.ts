import { describe, expect, it } from 'vitest';
import { classColour } from '../../src/core/instruments/hypermap/hypermapPicture';
import { outcomeClasses } from '../../src/core/classify';
import { outcomeColour, rgbOf } from '../../src/core/outcomeColours';
import { outcomeTable, SHADES } from '../../src/ui/colour/colourTables';
import { thneeb } from '../../src/core/tasks/thneeb';
import { grokking } from '../../src/core/tasks/grokking';

describe('one palette for every picture', () => {
  it("the command line's PNG colours each class as the sandbox's map does at full agreement", () => {
    for (const task of [thneeb(), grokking()]) {
      const classes = outcomeClasses(task);
      // the sandbox counts hypotheses as every class before mixed, unconverged and diverged (grokking: generalised, memorised)
      const hypotheses = classes.length - 3;
      const table = outcomeTable(hypotheses);
      classes.forEach((name, c) => {
        expect(classColour(name, c), `${task.name}: ${name}`).toEqual(rgbOf(outcomeColour(c, hypotheses)));
        const at = (c * SHADES + SHADES - 1) * 4;
        expect(Array.from(table.subarray(at, at + 3)), `${task.name}: ${name}`).toEqual(classColour(name, c));
      });
    }
  });

  it('reads #rrggbb and rgb(r, g, b)', () => {
    expect(rgbOf('#4e79a7')).toEqual([78, 121, 167]);
    expect(rgbOf('rgb(1, 22, 255)')).toEqual([1, 22, 255]);
  });
});
