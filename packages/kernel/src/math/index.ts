export { sigmoid, softplus, logSigmoid, logit, binaryEntropy } from './sigmoid.js';
