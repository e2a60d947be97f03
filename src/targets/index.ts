export { parseTargetText, type TargetEntry } from './parse-target-text.js';
export { parseCidr, rangeAddresses, rangeContains, canonicalAddress, MAX_RANGE_SIZE, type IpRange } from './ip-range.js';
export { URL_SCHEMES, urlScheme, type UrlScheme } from './url-schemes.js';
export { createExcluder, type TargetFilter } from './exclude.js';
export { parseShard, inShard, type Shard } from './shard.js';
export { targetKey, describeTarget } from './target-key.js';
export { TargetStream, type TargetInput, type TargetStreamOptions, type KeyedTarget } from './target-stream.js';
