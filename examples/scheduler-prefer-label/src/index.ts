import { MAX_NODE_SCORE, defineSchedulerPlugin } from '@skiff/sdk';

/** Args of {@link preferLabel}. */
export interface PreferLabelArgs {
  /** The node label to prefer, e.g. `example.com/fast`. */
  label: string;
  /** When set, only nodes whose label has this value are preferred; otherwise any value counts. */
  value?: string;
}

/**
 * An example Score plugin written with only `@skiff/sdk`: nodes carrying `args.label` (with
 * `args.value`, if given) score 100, others 0. Enable it in a scheduler profile with a weight that
 * makes it matter against the default scores:
 *
 * ```ts
 * scheduler({
 *   plugins: [preferLabel],
 *   profiles: [{
 *     schedulerName: 'default-scheduler',
 *     plugins: { score: { enabled: [{ name: 'PreferLabel', weight: 10 }] } },
 *     pluginConfig: [{ name: 'PreferLabel', args: { label: 'example.com/fast' } }],
 *   }],
 * })
 * ```
 */
export const preferLabel = defineSchedulerPlugin<PreferLabelArgs>({
  name: 'PreferLabel',
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['label'],
    properties: { label: { type: 'string', minLength: 1 }, value: { type: 'string' } },
  },
  create: (_handle, args) => ({
    score(_state, _pod, nodeInfo) {
      const actual = nodeInfo.node.metadata.labels?.[args.label];
      const preferred = actual !== undefined && (args.value === undefined || actual === args.value);
      return preferred ? MAX_NODE_SCORE : 0;
    },
  }),
});
