export type { Dataset } from './dataset.js';
export { soudryDataset } from './soudry-dataset.js';
export { separableGaussian } from './separable-gaussian.js';
export { logisticData } from './logistic-data.js';
export type { LogisticDataOptions } from './logistic-data.js';
export { loadCsvDataset } from './load-csv-dataset.js';
export { trainTestSplit, shuffled } from './train-test-split.js';
export { flipLabels } from './flip-labels.js';
export { fillDenseEvent } from './fill-dense-event.js';
