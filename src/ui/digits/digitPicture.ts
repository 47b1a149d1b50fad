import type { Attachment } from 'svelte/attachments';
import { DIGIT_PIXELS, DIGIT_SIDE } from '../../core/tasks/digitImages';
import { COLOUR_AMPLITUDE } from '../../core/tasks/digits';

// ends of d3's RdBu: red for colour input > 0 (class 1's colour), blue for < 0
const RED = [178, 24, 43];
const BLUE = [33, 102, 172];
const INK = [30, 30, 30];

/**
 * Draws one digits-task row (49 grey values, then the colour input) onto a 7×7 canvas as the
 * network sees it: the ink takes the colour's hue, as strongly as the colour input is large
 * (full hue at salience 1, paler below), on white paper.
 */
export function digitPicture(row: () => ArrayLike<number>): Attachment<HTMLCanvasElement> {
  // an attachment runs in an effect of its own: it draws again when row() changes
  return (canvas) => {
    const x = row();
    const colour = x[DIGIT_PIXELS];
    const hue = colour > 0 ? RED : BLUE;
    const t = Math.min(1, Math.abs(colour) / COLOUR_AMPLITUDE);
    const ink = INK.map((k, i) => k + (hue[i] - k) * t);
    canvas.width = canvas.height = DIGIT_SIDE;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(DIGIT_SIDE, DIGIT_SIDE);
    for (let p = 0; p < DIGIT_PIXELS; p++) {
      const g = x[p];
      for (let i = 0; i < 3; i++) image.data[4 * p + i] = Math.round(255 + (ink[i] - 255) * g);
      image.data[4 * p + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  };
}

/** Row r of a dataset's inputs. */
export const rowOf = (x: Float32Array, inputs: number, r: number): Float32Array => x.subarray(r * inputs, (r + 1) * inputs);
