import { arr, get, obj, str } from './access.js';

/**
 * Like Kubernetes' `labels.FormatLabels`: `k1=v1,k2=v2` sorted by key, or `<none>` when there are none.
 */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
}

/**
 * A `LabelSelector` as `labels.Selector.String()` renders it: requirements sorted by key
 * (`app=web`, `tier in (a,b)`, `env notin (x)`, `key`, `!key`), joined by commas; `''` for a
 * missing or empty selector; undefined when an expression is invalid (unknown operator, or
 * `In`/`NotIn` without values).
 */
export function labelSelectorString(selector: unknown): string | undefined {
  const sel = obj(selector);
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(obj(sel['matchLabels']))) reqs.push({ key, text: `${key}=${str(value)}` });
  for (const raw of arr(sel['matchExpressions'])) {
    const expr = obj(raw);
    const key = str(expr['key']);
    const values = arr(expr['values']).map(str).sort();
    switch (str(expr['operator'])) {
      case 'In':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  // Array.prototype.sort is stable: requirements on the same key keep their order.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** Like Kubernetes' `metav1.FormatLabelSelector`: {@link labelSelectorString}, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Like kubectl's `layoutContainerCells`: the containers' names and images, each comma-joined. */
export function containerCells(containers: unknown): [names: string, images: string] {
  const list = arr(containers).map(obj);
  return [list.map((c) => str(c['name'])).join(','), list.map((c) => str(c['image'])).join(',')];
}

/** The containers of a pod template at `spec.template.spec.containers`. */
export function templateContainers(object: unknown): unknown {
  return get(object, 'spec', 'template', 'spec', 'containers');
}

/** Like Go's `net.JoinHostPort`: brackets around IPv6 hosts. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
