export { Adwin, type AdwinOptions } from './adwin.js';
export { PageHinkley, type PageHinkleyOptions } from './page-hinkley.js';
export { Ddm, type DdmOptions } from './ddm.js';
export { PopulationStabilityIndex, type PopulationStabilityIndexOptions } from './population-stability-index.js';
