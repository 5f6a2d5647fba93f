import { describe, expect, it } from 'vitest';
import { createCluster, definePlugin, interceptHooks, isSkiffError, serviceKey, type Cluster } from '../../src/index.js';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return isSkiffError(err) ? err.code : `not coded: ${String(err)}`;
  }
  return undefined;
}

const noop = definePlugin({ name: 'Noop', core: '^0.1.0', apply() {} });

describe('plugin registration', () => {
  it('rejects malformed definitions with a coded error', async () => {
    expect(await codeOf(() => definePlugin({ name: 'lowercase', core: '*', apply() {} }))).toBe('SKIFF_ERR_PLUGIN_INVALID');
    expect(await codeOf(() => definePlugin({ name: 'Good', core: 'not a range', apply() {} }))).toBe('SKIFF_ERR_PLUGIN_INVALID');
    expect(await codeOf(() => definePlugin({ name: 'Good', core: '*' } as never))).toBe('SKIFF_ERR_PLUGIN_INVALID');
  });

  it('fails on duplicate names, missing dependencies and unsupported core versions, applying nothing', async () => {
    const applied: string[] = [];
    const a = definePlugin({ name: 'A', core: '^0.1.0', apply: () => void applied.push('A') });
    const b = definePlugin({ name: 'B', core: '^0.1.0', dependencies: ['A'], apply: () => void applied.push('B') });
    const future = definePlugin({ name: 'Future', core: '^9.0.0', apply: () => void applied.push('Future') });
    expect(await codeOf(createCluster({ plugins: [a(), a()] }))).toBe('SKIFF_ERR_PLUGIN_DUPLICATE');
    expect(await codeOf(createCluster({ plugins: [b(), a()] }))).toBe('SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY');
    expect(await codeOf(createCluster({ plugins: [a(), future()] }))).toBe('SKIFF_ERR_PLUGIN_CORE_VERSION');
    expect(applied).toEqual([]);
    await createCluster({ plugins: [a(), b()] });
    expect(applied).toEqual(['A', 'B']);
  });

  it('validates options against the schema, naming the plugin and the option path, and applies defaults', async () => {
    const seen: unknown[] = [];
    const docker = definePlugin<{ socket: string; retries?: number }>({
      name: 'DockerRuntime',
      core: '^0.1.0',
      optionsSchema: {
        type: 'object',
        required: ['socket'],
        additionalProperties: false,
        properties: { socket: { type: 'string' }, retries: { type: 'integer', minimum: 0, default: 3 } },
      },
      apply: (_c, options) => void seen.push(options),
    });
    const err = await createCluster({ plugins: [docker({ socket: 1 as never })] }).catch((e: unknown) => e);
    expect(isSkiffError(err, 'SKIFF_ERR_PLUGIN_OPTIONS')).toBe(true);
    expect((err as { details: { plugin: string; causes: { path: string }[] } }).details.plugin).toBe('DockerRuntime');
    expect((err as { details: { causes: { path: string }[] } }).details.causes.map((c) => c.path)).toEqual(['socket']);
    const missing = await createCluster({ plugins: [docker({} as never)] }).catch((e: unknown) => e);
    expect((missing as { details: { causes: { path: string }[] } }).details.causes.map((c) => c.path)).toEqual(['socket']);
    await createCluster({ plugins: [docker({ socket: '/run/docker.sock' })] });
    expect(seen).toEqual([{ socket: '/run/docker.sock', retries: 3 }]);
  });

  it('flattens presets and skips falsy entries', async () => {
    const applied: string[] = [];
    const mk = (name: string) => definePlugin({ name, core: '*', apply: () => void applied.push(name) })();
    await createCluster({ plugins: [mk('One'), false, [mk('Two'), [null, mk('Three')]], undefined] });
    expect(applied).toEqual(['One', 'Two', 'Three']);
    expect(await codeOf(createCluster({ plugins: [noop as never] }))).toBe('SKIFF_ERR_PLUGIN_INVALID');
  });

  it('wraps a failing apply in a coded error naming the plugin', async () => {
    const bad = definePlugin({ name: 'Bad', core: '*', apply() { throw new Error('boom'); } });
    const err = await createCluster({ plugins: [bad()] }).catch((e: unknown) => e);
    expect(isSkiffError(err, 'SKIFF_ERR_PLUGIN_APPLY')).toBe(true);
    expect((err as { details: { plugin: string } }).details.plugin).toBe('Bad');
  });
});

describe('cluster lifecycle', () => {
  it('starts components in order, stops them in reverse, and runs lifecycle hooks', async () => {
    const events: string[] = [];
    const plugin = (name: string) =>
      definePlugin({
        name,
        core: '*',
        apply(cluster) {
          cluster.addComponent({ name, start: () => void events.push(`start ${name}`), stop: () => void events.push(`stop ${name}`) });
        },
      })();
    const hooks = definePlugin({
      name: 'Hooks',
      core: '*',
      apply(cluster) {
        for (const h of ['beforeStart', 'start', 'ready', 'beforeShutdown', 'shutdown'] as const) {
          cluster.hooks[h].tapPromise('Hooks', async () => void events.push(h));
        }
        cluster.hooks.pluginsApplied.tap('Hooks', () => void events.push('pluginsApplied'));
      },
    })();
    const cluster = await createCluster({ plugins: [hooks, plugin('First'), plugin('Second')] });
    await cluster.start();
    expect(cluster.state).toBe('running');
    await cluster.stop();
    expect(cluster.state).toBe('stopped');
    expect(events).toEqual([
      'pluginsApplied', 'beforeStart', 'start First', 'start Second', 'start', 'ready',
      'beforeShutdown', 'stop Second', 'stop First', 'shutdown',
    ]);
  });

  it('stops what started when a later component fails to start', async () => {
    const events: string[] = [];
    const ok = definePlugin({ name: 'Ok', core: '*', apply: (c) => c.addComponent({ name: 'ok', start: () => void events.push('start ok'), stop: () => void events.push('stop ok') }) });
    const broken = definePlugin({ name: 'Broken', core: '*', apply: (c) => c.addComponent({ name: 'broken', start: () => { throw new Error('no'); }, stop: () => void events.push('stop broken') }) });
    const cluster = await createCluster({ plugins: [ok(), broken()] });
    await expect(cluster.start()).rejects.toThrow('no');
    expect(cluster.state).toBe('failed');
    expect(events).toEqual(['start ok', 'stop broken', 'stop ok']);
    expect(await codeOf(() => cluster.api)).toBe('SKIFF_ERR_CLUSTER_STATE');
  });

  it('keeps hooks frozen, selects stores by name and shares services by key', async () => {
    const key = serviceKey<{ hello(): string }>('Greeter/greeting');
    let used: string | undefined;
    const greeter = definePlugin({ name: 'Greeter', core: '*', apply: (c) => c.provide(key, { hello: () => 'hi' }) });
    const user = definePlugin({ name: 'User', core: '*', dependencies: ['Greeter'], apply: (c) => { used = c.use(key).hello(); } });
    const cluster: Cluster = await createCluster({ plugins: [greeter(), user()], store: 'nope' });
    expect(used).toBe('hi');
    expect(Object.isFrozen(cluster.hooks)).toBe(true);
    expect(await codeOf(() => cluster.use(serviceKey('Missing/thing')))).toBe('SKIFF_ERR_SERVICE_UNKNOWN');
    expect(await codeOf(cluster.start())).toBe('SKIFF_ERR_REGISTRY_UNKNOWN');
    expect(await codeOf(() => cluster.registries.store.register('memory', () => { throw new Error('x'); }))).toBe('SKIFF_ERR_REGISTRY_DUPLICATE');
  });

  it('interceptors see every hook call and tap, HookMap entries included', async () => {
    const calls: string[] = [];
    const cluster = await createCluster();
    interceptHooks(cluster.hooks, { tap: (hook, tap) => calls.push(`${hook}:${tap}`) });
    cluster.hooks.mutatingAdmission.for('ConfigMap').tap('Stamp', (obj) => ({ ...obj, metadata: { ...obj.metadata, labels: { stamped: 'yes' } } }));
    await cluster.start();
    const res = cluster.resources.require('v1', 'ConfigMap');
    const created = await cluster.api.create(res, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(created.metadata.labels).toEqual({ stamped: 'yes' });
    expect(calls).toContain('mutatingAdmission[ConfigMap]:Stamp');
    expect(calls).toContain('mutatingAdmission[Namespace]:core:NamespacePhase');
    await cluster.stop();
  });
});
