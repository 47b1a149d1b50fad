/**
 * The report's verdicts as criteria over measured numbers: each a pure function that says whether
 * the measurement agrees with the paper's claim and writes the sentence with the numbers it read,
 * so that no "Agrees" is typed and each criterion can be fed a case on either side in tests.
 * Grokking's rule lives in core, shared with the sandbox's grokking story.
 */
export { GROKKING_PLATEAU_RATIO, grokkingVerdict, type GrokCurve, type Verdict } from '../core/verdicts/grokking';
