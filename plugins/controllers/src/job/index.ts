/** The Job controller: completions, parallelism, backoff, deadlines, TTL after finished. */
export { jobController, type JobControllerOptions, type JobState } from './job-controller.js';
export { backoffDelayMs, finishedAtMs, jobPod } from './job-pods.js';

/** The plugin name of the Job controller. */
export const JOB_CONTROLLER = 'Job';
