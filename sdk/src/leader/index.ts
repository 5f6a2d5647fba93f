export { LeaderElector, type LeaderElectorOptions } from './leader-elector.js';
