export { murmur3, murmur3Bytes } from './murmur3.js';
