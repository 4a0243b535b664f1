/**
 * @packageDocumentation
 * Events, codecs, validation, model state and the prequential learner of logit-stream.
 */
export * from './errors/index.js';
export * from './features/index.js';
export * from './events/index.js';
export * from './state/index.js';
export * from './learner/index.js';
export * from './csv/index.js';
export * from './synth/index.js';
