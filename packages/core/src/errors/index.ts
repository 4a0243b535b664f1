export { CoreError } from './core-error.js';
