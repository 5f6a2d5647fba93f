/** A ConfigMap request body (metadata first, so `metadata.name` is the first `"name"` in it). */
export function configMapBody(name: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default', labels: { app: 'bench' } },
      data: { key: `value-${name}`, config: 'x'.repeat(256) },
    }),
  );
}

/** A minimal valid Pod request body. */
export function podBody(name: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels: { app: 'bench', shard: name.slice(-1) } },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0', ports: [{ containerPort: 8080 }] }] },
    }),
  );
}

/** Which request body a load job sends: a ConfigMap or a Pod named `<prefix>-<i>`. */
export interface BodyTemplate {
  kind: 'configmap' | 'pod';
  prefix: string;
}

/** The body for request `i` of a template. */
export function bodyFor(t: BodyTemplate, i: number): Buffer {
  const name = `${t.prefix}-${i}`;
  return t.kind === 'pod' ? podBody(name) : configMapBody(name);
}
