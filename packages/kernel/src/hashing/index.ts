export { murmur3, murmur3Bytes, murmur3Int32, murmur3BytesInt32 } from './murmur3.js';
