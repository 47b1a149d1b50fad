import { describe, expect, it } from 'vitest';
import { paramsFileText, PARAMS_FORMAT, type ParamsHeader, type ParamsModel } from '../../src/core/paramsFile';
import { ParamsFileReader } from '../../src/core/paramsFileReader';
import { randUniform } from '../../src/core/rng';

/** uniform numbers in [0, 1) from the project's counter-based generator */
const uniforms = (seed: number) => {
  let k = 0;
  return () => randUniform(seed, 0, 0, 0, k++);
};

const MODEL: ParamsModel = { widths: [2, 3, 1], activation: 'tanh', parameters: 13 };
const header = {
  format: PARAMS_FORMAT,
  version: 1,
  model: MODEL,
  order: 'o',
  task: { name: 't', knobs: { k: 1 } },
  steps: 5,
  config: {},
} as unknown as ParamsHeader;

/** The file's text cut at random places (cuts inside strings, numbers and keys included), read back. */
function readInPieces(text: string, seed: number): Float32Array[] {
  const rand = uniforms(seed);
  const reader = new ParamsFileReader(MODEL, 100);
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(rand() * 40);
    reader.push(text.slice(i, i + n));
    i += n;
  }
  return reader.end();
}

describe('the parameters file reader', () => {
  it('reads what paramsFileText writes, cut anywhere, to the float32 bit', () => {
    const rand = uniforms(7);
    const params = Float32Array.from({ length: 5 * 13 }, () => (rand() - 0.5) * 10);
    const text = [
      ...paramsFileText(
        header,
        params,
        5,
        (i) => 10 + i,
        (i) => (i % 2 ? 'a "quoted" {name}' : 'b,c'),
      ),
    ].join('');
    for (let seed = 1; seed <= 20; seed++) {
      const vectors = readInPieces(text, seed);
      expect(vectors).toHaveLength(5);
      expect(Float32Array.from(vectors.flatMap((v) => [...v]))).toEqual(params);
    }
  });

  it('takes the header in any order, unknown fields, a one-network "params", and still a bare list', () => {
    const v = Array.from({ length: 13 }, (_, i) => i / 8);
    const variants = [
      { particles: [{ params: v }], extra: { a: [1, { b: '}' }] }, model: MODEL },
      { model: MODEL, target: 'particle-0', params: v },
      // the sandbox's first export: widths and activation at the top
      { widths: [2, 3, 1], activation: 'tanh', particles: [{ index: 0, outcome: 'x', params: v }] },
    ];
    for (const doc of variants) expect(readInPieces(JSON.stringify(doc, null, 1), 3)).toEqual([Float32Array.from(v)]);
    expect(readInPieces(JSON.stringify([v, v]), 4)).toEqual([Float32Array.from(v), Float32Array.from(v)]);
    expect(readInPieces(JSON.stringify(v), 5)).toEqual([Float32Array.from(v)]);
  });

  it('refuses a header for another model before reading a vector, and broken JSON, by position', () => {
    const bad = (text: string) => () => readInPieces(text, 9);
    expect(bad('{"model":{"widths":[2,4,1],"activation":"tanh"},"particles":[')).toThrow(/^model\.widths is \[2,4,1\]/);
    expect(bad('{"model":{"widths":[2,3,1],"activation":"tanh","bias":false},"particles":[]}')).toThrow(/^model\.bias is false/);
    expect(bad('{"particles":[{"params":[1,2,3,4,5,6,7,8,9,10,11,12,13]}],"params":[]}')).toThrow(/^holds both "particles" and "params"/);
    expect(bad('{"model":{"widths":[2,3,1],"activation":"tanh"},"particles":[]}')).toThrow(/^"particles" is empty/);
    expect(bad('{"model":{"widths":[2,3,1]},')).toThrow(/^model\.activation is undefined/);
    expect(bad('{"particles":[{"params":[1]}]')).toThrow(/particles\[0\]\.params has 1 values, expected 13/);
    expect(bad('{"steps":1x,"particles":[]}')).toThrow(/not valid JSON \(.* in "steps"\)/);
    expect(bad('{"particles":[]')).toThrow(/the object is not closed/);
    expect(bad('{"particles":[]} x')).toThrow(/more text after the object ends/);
    expect(bad('"text"')).toThrow(/must hold a parameters file/);
  });
});
