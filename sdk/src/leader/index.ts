export { LeaderElector, type LeaderElectorOptions } from './leader-elector.js';
export { LEADER_ELECTION_SCHEMA, leaderElectorSettings, leaderIdentity, type LeaderElectionConfig } from './config.js';
