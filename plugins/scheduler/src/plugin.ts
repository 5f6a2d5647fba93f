import { definePlugin, type Cluster, type Plugin } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { SCHEDULER_OPTIONS_SCHEMA, type SchedulerConfig, type SchedulerOptions } from './options.js';
import { Scheduler } from './scheduler.js';

/** The running scheduler of each cluster (for tests and tools). */
const running = new WeakMap<Cluster, Scheduler>();

/**
 * The scheduler plugin (`Scheduler`): adds a component that, when the cluster starts, runs a
 * {@link Scheduler} over the cluster's API (in-process unless `options.client` is given) and stops
 * it with the cluster. The serializable options are validated against
 * {@link SCHEDULER_OPTIONS_SCHEMA}; profiles are checked (unknown plugins, bad args) when the
 * plugin is applied, so a bad configuration fails `createCluster`.
 */
export function scheduler(options: SchedulerOptions = {}): Plugin<SchedulerConfig> {
  const { client, plugins, ...config } = options;
  const factory = definePlugin<SchedulerConfig>({
    name: 'Scheduler',
    core: '^0.1.0',
    optionsSchema: SCHEDULER_OPTIONS_SCHEMA,
    apply(cluster, validated) {
      const instance = new Scheduler({ client: client ?? new Client(inProcessTransport(cluster)), config: validated, ...(plugins ? { plugins } : {}) });
      cluster.addComponent({
        name: 'scheduler',
        async start() {
          running.set(cluster, instance);
          await instance.start();
        },
        async stop() {
          running.delete(cluster);
          await instance.stop();
        },
      });
    },
  });
  return factory(config);
}

/** The running scheduler of `cluster`, if its plugin is applied and the cluster started. */
export function schedulerOf(cluster: Cluster): Scheduler | undefined {
  return running.get(cluster);
}
