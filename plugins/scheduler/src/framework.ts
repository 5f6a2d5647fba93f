import { SkiffError, type Pod } from '@skiff/core';
import {
  EXTENSION_POINTS,
  EXTENSION_POINT_METHOD,
  StatusCode,
  Statuses,
  asStatus,
  resolveSchedulerPluginArgs,
  type CycleState,
  type ExtensionPoint,
  type NodeInfo,
  type NodeScore,
  type PermitResult,
  type QueuedPodInfo,
  type SchedulerHandle,
  type SchedulerPlugin,
  type SchedulerPluginDefinition,
  type Status,
  type StatusLike,
} from '@skiff/sdk';
import { DEFAULT_PLUGINS, type PluginRef } from './default-profile.js';
import type { ProfileConfig } from './options.js';

interface Enabled {
  name: string;
  plugin: SchedulerPlugin;
  weight: number;
}

function badConfig(profile: string, why: string): SkiffError {
  return new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `plugin "Scheduler": profile "${profile}": ${why}`, { plugin: 'Scheduler', profile });
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

function wrapError(name: string, err: unknown): Status {
  return Statuses.withPlugin(Statuses.error(err), name);
}

/**
 * The plugins of one profile, by extension point, and the code that runs each point with the
 * contract documented on the extension point interfaces (`@skiff/sdk`).
 */
export class Framework {
  readonly points: Record<ExtensionPoint, Enabled[]>;
  readonly percentageOfNodesToScore: number | undefined;

  constructor(
    readonly profileName: string,
    config: ProfileConfig,
    registry: ReadonlyMap<string, SchedulerPluginDefinition<any>>,
    handle: SchedulerHandle,
  ) {
    this.percentageOfNodesToScore = config.percentageOfNodesToScore;
    const argsOf = new Map((config.pluginConfig ?? []).map((c) => [c.name, c.args]));
    const instances = new Map<string, SchedulerPlugin>();
    const instance = (name: string): SchedulerPlugin => {
      let p = instances.get(name);
      if (!p) {
        const def = registry.get(name);
        if (!def) throw badConfig(this.profileName, `unknown scheduler plugin "${name}" (known: ${[...registry.keys()].sort().join(', ')})`);
        p = def.create(handle, resolveSchedulerPluginArgs(def, argsOf.get(name)));
        instances.set(name, p);
      }
      return p;
    };
    const multi = config.plugins?.multiPoint;
    const points = {} as Record<ExtensionPoint, Enabled[]>;
    for (const point of EXTENSION_POINTS) {
      const set = config.plugins?.[point];
      const disabled = new Set([...(set?.disabled ?? []), ...(multi?.disabled ?? [])].map((d) => d.name));
      const refs: PluginRef[] = disabled.has('*') ? [] : DEFAULT_PLUGINS[point].filter((r) => !disabled.has(r.name)).map((r) => ({ ...r }));
      const method = EXTENSION_POINT_METHOD[point];
      const merge = (ref: PluginRef, explicit: boolean) => {
        const plugin = instance(ref.name);
        if (typeof plugin[method] !== 'function') {
          if (explicit) throw badConfig(this.profileName, `plugin "${ref.name}" is enabled at ${point} but does not implement ${String(method)}()`);
          return;
        }
        const existing = refs.find((r) => r.name === ref.name);
        if (existing) {
          if (ref.weight !== undefined) existing.weight = ref.weight;
        } else refs.push({ ...ref });
      };
      for (const ref of multi?.enabled ?? []) merge(ref, false);
      for (const ref of set?.enabled ?? []) merge(ref, true);
      points[point] = refs.map((r) => ({ name: r.name, plugin: instance(r.name), weight: r.weight ?? 1 }));
    }
    if (points.queueSort.length !== 1) throw badConfig(this.profileName, `exactly one QueueSort plugin must be enabled (found ${points.queueSort.length})`);
    if (points.bind.length === 0) throw badConfig(this.profileName, 'at least one Bind plugin must be enabled');
    this.points = points;
  }

  /** QueueSort's `less`. */
  get less(): (a: QueuedPodInfo, b: QueuedPodInfo) => boolean {
    const p = this.points.queueSort[0]!.plugin;
    return (a, b) => p.less!(a, b);
  }

  /** Runs PreFilter; returns the first non-success (other than Skip) and the plugins that skipped. */
  async runPreFilter(state: CycleState, pod: Pod, skipped: Set<string>): Promise<Status> {
    for (const { name, plugin } of this.points.preFilter) {
      let s: StatusLike;
      try {
        const r = plugin.preFilter!(state, pod);
        s = isPromise(r) ? await r : r;
      } catch (err) {
        return wrapError(name, err);
      }
      if (s === undefined || s.code === StatusCode.Success) continue;
      if (s.code === StatusCode.Skip) {
        skipped.add(name);
        continue;
      }
      if (s.code === StatusCode.Wait) return wrapError(name, new Error('PreFilter may not return Wait'));
      return Statuses.withPlugin(s, name);
    }
    return Statuses.success();
  }

  /** The Filter plugins that run this cycle (PreFilter Skip removes a plugin). */
  filtersFor(skipped: ReadonlySet<string>): Enabled[] {
    return skipped.size === 0 ? this.points.filter : this.points.filter.filter((e) => !skipped.has(e.name));
  }

  /** Runs Filter for one node; the first plugin that rejects decides. */
  runFilter(filters: readonly Enabled[], state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | undefined {
    let i = 0;
    try {
      for (; i < filters.length; i++) {
        const s = filters[i]!.plugin.filter!(state, pod, nodeInfo);
        if (s === undefined || s.code === StatusCode.Success) continue;
        const name = filters[i]!.name;
        if (s.code === StatusCode.Skip || s.code === StatusCode.Wait) return wrapError(name, new Error(`Filter may not return ${s.code}`));
        return Statuses.withPlugin(s, name);
      }
    } catch (err) {
      return wrapError(filters[i]?.name ?? 'Filter', err);
    }
    return undefined;
  }

  /** Runs PostFilter plugins; returns their messages and whether one made the pod schedulable. */
  async runPostFilter(state: CycleState, pod: Pod, filtered: ReadonlyMap<string, Status>): Promise<{ success: boolean; messages: string[] }> {
    const messages: string[] = [];
    for (const { name, plugin } of this.points.postFilter) {
      try {
        const s = asStatus(await plugin.postFilter!(state, pod, filtered));
        if (s.code === StatusCode.Success) return { success: true, messages };
        messages.push(...s.reasons);
      } catch (err) {
        messages.push(`${name}: ${(err as Error)?.message ?? String(err)}`);
      }
    }
    return { success: false, messages };
  }

  /** Runs PreScore; Skip removes the plugin's Score for this cycle. */
  async runPreScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], skipped: Set<string>): Promise<Status> {
    for (const { name, plugin } of this.points.preScore) {
      let s: StatusLike;
      try {
        const r = plugin.preScore!(state, pod, nodes);
        s = isPromise(r) ? await r : r;
      } catch (err) {
        return wrapError(name, err);
      }
      if (s === undefined || s.code === StatusCode.Success) continue;
      if (s.code === StatusCode.Skip) {
        skipped.add(name);
        continue;
      }
      return Statuses.withPlugin(s.code === StatusCode.Error ? s : Statuses.error(new Error(`PreScore returned ${s.code}: ${s.reasons.join(', ')}`)), name);
    }
    return Statuses.success();
  }

  /**
   * Runs Score (+ NormalizeScore, × weight) over `nodes`; returns the weighted totals by index, or
   * an error. Plugins without NormalizeScore add straight into the totals (no per-node objects).
   */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], skipped: ReadonlySet<string>): Float64Array | Status {
    const n = nodes.length;
    const totals = new Float64Array(n);
    for (const { name, plugin, weight } of this.points.score) {
      if (skipped.has(name)) continue;
      const score = plugin.score!;
      try {
        if (!plugin.normalizeScore) {
          for (let i = 0; i < n; i++) {
            const r = score(state, pod, nodes[i]!);
            if (typeof r === 'number') totals[i]! += r * weight;
            else if (r.code !== StatusCode.Success) return this.scoreError(name, r, 'Score');
          }
          continue;
        }
        const scores: NodeScore[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const r = score(state, pod, nodes[i]!);
          if (typeof r === 'number') scores[i] = { name: nodes[i]!.name, score: r };
          else if (r.code === StatusCode.Success) scores[i] = { name: nodes[i]!.name, score: 0 };
          else return this.scoreError(name, r, 'Score');
        }
        const s = asStatus(plugin.normalizeScore(state, pod, scores));
        if (s.code !== StatusCode.Success) return this.scoreError(name, s, 'NormalizeScore');
        for (let i = 0; i < n; i++) totals[i]! += scores[i]!.score * weight;
      } catch (err) {
        return wrapError(name, err);
      }
    }
    return totals;
  }

  private scoreError(name: string, s: Status, point: string): Status {
    return Statuses.withPlugin(s.code === StatusCode.Error ? s : Statuses.error(new Error(`${point} returned ${s.code}`)), name);
  }

  runReserve(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    return untilNotSuccess(this.points.reserve, (plugin) => plugin.reserve!(state, pod, nodeName));
  }

  async runUnreserve(state: CycleState, pod: Pod, nodeName: string): Promise<void> {
    for (const { plugin } of [...this.points.reserve].reverse()) {
      try {
        await plugin.unreserve?.(state, pod, nodeName);
      } catch {
        // Unreserve must not fail; a throw is ignored.
      }
    }
  }

  /** Runs Permit: a rejection status, or the plugins that said Wait (with their timeouts). */
  async runPermit(state: CycleState, pod: Pod, nodeName: string, defaultTimeoutMs: number): Promise<{ status: Status; waits: Map<string, number> }> {
    const waits = new Map<string, number>();
    for (const { name, plugin } of this.points.permit) {
      let r: PermitResult;
      try {
        r = await plugin.permit!(state, pod, nodeName);
      } catch (err) {
        return { status: wrapError(name, err), waits };
      }
      const status = r && 'status' in r ? r.status : asStatus(r as StatusLike);
      const timeoutMs = r && 'status' in r && r.timeoutMs !== undefined ? r.timeoutMs : defaultTimeoutMs;
      if (status.code === StatusCode.Success) continue;
      if (status.code === StatusCode.Wait) {
        waits.set(name, timeoutMs);
        continue;
      }
      if (status.code === StatusCode.Skip) return { status: wrapError(name, new Error('Permit may not return Skip')), waits };
      return { status: Statuses.withPlugin(status, name), waits };
    }
    return { status: Statuses.success(), waits };
  }

  runPreBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    return untilNotSuccess(this.points.preBind, (plugin) => plugin.preBind!(state, pod, nodeName));
  }

  async runBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const { name, plugin } of this.points.bind) {
      try {
        const s = asStatus(await plugin.bind!(state, pod, nodeName));
        if (s.code === StatusCode.Skip) continue;
        return Statuses.withPlugin(s, name);
      } catch (err) {
        return wrapError(name, err);
      }
    }
    return Statuses.error(new Error('no Bind plugin bound the pod (all skipped)'));
  }

  async runPostBind(state: CycleState, pod: Pod, nodeName: string): Promise<void> {
    for (const { plugin } of this.points.postBind) {
      try {
        await plugin.postBind!(state, pod, nodeName);
      } catch {
        // Informational only.
      }
    }
  }
}

/** Runs plugins in order until one answers other than Success (its status, named) or throws (an Error status). */
async function untilNotSuccess<P>(entries: readonly { name: string; plugin: P }[], call: (plugin: P) => StatusLike | Promise<StatusLike>): Promise<Status> {
  for (const { name, plugin } of entries) {
    try {
      const s = asStatus(await call(plugin));
      if (s.code !== StatusCode.Success) return Statuses.withPlugin(s, name);
    } catch (err) {
      return wrapError(name, err);
    }
  }
  return Statuses.success();
}
