// The one door from the command line to fast-check: the build bundles this module, fast-check and the
// contract's arbitraries inlined, into dist, so `verify --fuzz` needs nothing installed beside the package.
import fc from 'fast-check';

export type { Arbitrary } from 'fast-check';
export { invalidParameters, validParameters } from '../testing/arbitraries.js';
export { fc };
