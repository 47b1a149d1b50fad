import type { ReportSection } from '../section';
import { alignedBarrierSection } from './alignedBarriers';
import { corridor } from './corridor';
import { digits } from './digits';
import { fractal } from './fractal';
import { geometrySection } from './geometry';
import { grokking } from './grokking';
import { initOrNoise } from './initOrNoise';
import { lms } from './lms';
import { prior } from './prior';
import { simplicity } from './simplicity';
import { spectral } from './spectral';
import { thneeb } from './thneeb';
import { thneebModels } from './thneebModels';

/** The findings report's sections in the order it prints them: one file each, beside this one. */
export const SECTIONS: readonly ReportSection[] = [
  thneeb,
  thneebModels,
  geometrySection,
  alignedBarrierSection,
  initOrNoise,
  simplicity,
  corridor,
  digits,
  spectral,
  lms,
  grokking,
  fractal,
  prior,
];
