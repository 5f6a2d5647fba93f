export { resolveConfig, readConfigFile, DEFAULTS, type UpConfig } from './config.js';
export { defaultDistribution, type Distribution } from './distribution.js';
export { up, type UpHandle } from './up.js';
