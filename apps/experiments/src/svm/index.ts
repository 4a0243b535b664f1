export { solveHardMarginSvm, kktResiduals } from './hard-margin-svm.js';
export type { HardMarginSvm, HardMarginSvmOptions, KktReport } from './hard-margin-svm.js';
