import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkiffError, isSkiffError } from '../../src/errors.js';
import { escapeFieldValue, parseFieldSelector, supportedFieldsForKind, type FieldRequirement, type FieldSelectorOptions } from '../../src/labels/index.js';
import type { KubeObject } from '../../src/objects/types.js';
import type { FieldMatcher } from '../../src/store/types.js';

const pod = (name: string, spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec,
  status,
});

const event: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
  reason: 'Scheduled',
  type: 'Normal',
  source: { component: 'default-scheduler' },
  reportingComponent: 'skiff-scheduler',
};

function thrown(text: string, options?: FieldSelectorOptions): { code: string; details: Record<string, unknown> } {
  try {
    parseFieldSelector(text, options);
  } catch (err) {
    if (!isSkiffError(err)) throw err;
    return { code: err.code, details: err.details };
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseFieldSelector: parsing and printing', () => {
  it.each<[string, FieldRequirement[], string]>([
    ['', [], ''],
    [',', [], ''],
    ['metadata.name=web', [{ field: 'metadata.name', operator: '=', value: 'web' }], 'metadata.name=web'],
    ['metadata.name==web', [{ field: 'metadata.name', operator: '==', value: 'web' }], 'metadata.name=web'],
    ['status.phase!=Running', [{ field: 'status.phase', operator: '!=', value: 'Running' }], 'status.phase!=Running'],
    ['spec.nodeName=', [{ field: 'spec.nodeName', operator: '=', value: '' }], 'spec.nodeName='],
    ['spec.nodeName!=,metadata.name=a', [
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'spec.nodeName', operator: '!=', value: '' },
    ], 'metadata.name=a,spec.nodeName!='],
    ['metadata.name=a\\,b', [{ field: 'metadata.name', operator: '=', value: 'a,b' }], 'metadata.name=a\\,b'],
    ['metadata.name=a\\=b', [{ field: 'metadata.name', operator: '=', value: 'a=b' }], 'metadata.name=a\\=b'],
    ['metadata.name=a\\\\b', [{ field: 'metadata.name', operator: '=', value: 'a\\b' }], 'metadata.name=a\\\\b'],
    ['metadata.name=x\\\\,status.phase=y', [
      { field: 'metadata.name', operator: '=', value: 'x\\' },
      { field: 'status.phase', operator: '=', value: 'y' },
    ], 'metadata.name=x\\\\,status.phase=y'],
    ['a=!x', [{ field: 'a', operator: '=', value: '!x' }], 'a=!x'],
    ['a= b ', [{ field: 'a', operator: '=', value: ' b ' }], 'a= b '],
    ['a=1,,b=2,', [
      { field: 'a', operator: '=', value: '1' },
      { field: 'b', operator: '=', value: '2' },
    ], 'a=1,b=2'],
  ])('%j', (text, requirements, printed) => {
    const s = parseFieldSelector(text);
    expect(s.requirements).toEqual(requirements);
    expect(s.toString()).toBe(printed);
    expect(s.empty()).toBe(requirements.length === 0);
  });

  it('sorts terms canonically', () => {
    expect(parseFieldSelector('status.phase=Running,metadata.namespace==ns,metadata.name!=a').toString()).toBe(
      'metadata.name!=a,metadata.namespace=ns,status.phase=Running',
    );
  });

  it('escapeFieldValue is Kubernetes EscapeValue', () => {
    expect(escapeFieldValue('a\\b,c=d')).toBe('a\\\\b\\,c\\=d');
    expect(escapeFieldValue('plain')).toBe('plain');
  });
});

describe('parseFieldSelector: errors', () => {
  it.each<[string, number]>([
    ['metadata.name', 0],
    ['a=1,bogus', 4],
    ['metadata.name=a=b', 15],
    ['metadata.name=a\\x', 15],
    ['metadata.name=a\\', 15],
    ['=a', 0],
    ['metadata.name =a', 0],
    ['a=1,.b=2', 4],
    ['a..b=2', 0],
    ['metadata.name!==x', 15],
  ])('%j is a syntax error at %i', (text, position) => {
    expect(thrown(text)).toEqual({ code: 'SKIFF_ERR_SELECTOR_SYNTAX', details: { position, text } });
  });

  it('with a kind, only its supported fields are allowed', () => {
    expect(thrown('metadata.name=a,spec.nodeName=n', { kind: 'Service' })).toEqual({
      code: 'SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD',
      details: { field: 'spec.nodeName', kind: 'Service', position: 16, text: 'metadata.name=a,spec.nodeName=n' },
    });
    expect(thrown('spec.replicas=1', { kind: 'Deployment' }).details).toMatchObject({ field: 'spec.replicas', kind: 'Deployment' });
    expect(thrown('status.phase=Active', { kind: 'Secret' }).code).toBe('SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD');
    expect(thrown('spec.color=red', { kind: 'Widget' }).code).toBe('SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD');
    expect(parseFieldSelector('spec.nodeName=n,status.phase=Running', { kind: 'Pod' }).requirements).toHaveLength(2);
    expect(parseFieldSelector('metadata.name=a,metadata.namespace=b', { kind: 'Widget' }).requirements).toHaveLength(2);
    expect(parseFieldSelector('anything.at.all=1').requirements).toHaveLength(1);
  });
});

describe('supportedFieldsForKind', () => {
  it.each<[string, string[]]>([
    ['Pod', ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']],
    ['Event', ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type']],
    ['Secret', ['type']],
    ['Node', ['spec.unschedulable']],
    ['Namespace', ['status.phase']],
    ['ReplicaSet', ['status.replicas']],
    ['ReplicationController', ['status.replicas']],
    ['Job', ['status.successful']],
    ['ConfigMap', []],
    ['Widget', []],
    ['pod', []],
    ['constructor', []],
  ])('%s', (kind, own) => {
    expect([...supportedFieldsForKind(kind)].sort()).toEqual(['metadata.name', 'metadata.namespace', ...own].sort());
    expect(Object.isFrozen(supportedFieldsForKind(kind))).toBe(true);
  });
});

describe('FieldSelector.matches', () => {
  const pods = [
    pod('a', { nodeName: 'n1', restartPolicy: 'Always', hostNetwork: true }, { phase: 'Running', podIP: '10.0.0.1' }),
    pod('b', { restartPolicy: 'Never' }, { phase: 'Pending' }, 'kube-system'),
    pod('c', { nodeName: 'n2' }, { phase: 'Running', podIPs: [{ ip: '10.0.0.3' }] }),
  ];
  const names = (text: string) => pods.filter((p) => parseFieldSelector(text, { kind: 'Pod' }).matches(p)).map((p) => p.metadata.name);

  it.each<[string, string[]]>([
    ['', ['a', 'b', 'c']],
    ['metadata.name=a', ['a']],
    ['metadata.name!=a', ['b', 'c']],
    ['metadata.namespace=kube-system', ['b']],
    ['spec.nodeName=', ['b']],
    ['spec.nodeName!=', ['a', 'c']],
    ['status.phase=Running,spec.nodeName=n2', ['c']],
    ['status.phase==Running', ['a', 'c']],
    ['spec.hostNetwork=true', ['a']],
    ['spec.hostNetwork=false', ['b', 'c']],
    ['spec.restartPolicy=Never', ['b']],
    ['spec.schedulerName=', ['a', 'b', 'c']],
    ['status.podIP=10.0.0.3', ['c']],
  ])('pods %j → %j', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  it.each<[string, boolean]>([
    ['involvedObject.name=web-1', true],
    ['involvedObject.kind=Pod,involvedObject.namespace=default', true],
    ['involvedObject.uid=u-1', true],
    ['involvedObject.fieldPath=spec.containers{app}', true],
    ['involvedObject.resourceVersion=', true],
    ['involvedObject.name=web-2', false],
    ['reason=Scheduled,type=Normal', true],
    ['type!=Warning', true],
    ['source=default-scheduler', true],
    ['reportingComponent=skiff-scheduler', true],
    ['metadata.name=web-1.17a', true],
  ])('event %j → %s', (text, expected) => {
    expect(parseFieldSelector(text, { kind: 'Event' }).matches(event)).toBe(expected);
  });

  it('Event source falls back to reportingComponent', () => {
    const e: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, reportingComponent: 'kubelet' };
    expect(parseFieldSelector('source=kubelet').matches(e)).toBe(true);
  });

  it('uses Kubernetes zero values for boolean and counter fields', () => {
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} };
    expect(parseFieldSelector('spec.unschedulable=false').matches(node)).toBe(true);
    expect(parseFieldSelector('spec.unschedulable=true').matches({ ...node, spec: { unschedulable: true } })).toBe(true);
    expect(parseFieldSelector('metadata.namespace=').matches(node)).toBe(true);
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, status: {} };
    expect(parseFieldSelector('status.replicas=0').matches(rs)).toBe(true);
    expect(parseFieldSelector('status.replicas=3').matches({ ...rs, status: { replicas: 3 } })).toBe(true);
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { succeeded: 2 } };
    expect(parseFieldSelector('status.successful=2').matches(job)).toBe(true);
    expect(parseFieldSelector('status.successful=0').matches({ ...job, status: {} })).toBe(true);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' };
    expect(parseFieldSelector('type=Opaque', { kind: 'Secret' }).matches(secret)).toBe(true);
  });

  it('a missing or non-scalar field is the empty string', () => {
    const o: KubeObject = { apiVersion: 'x/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { list: [1], obj: { a: 1 } } };
    expect(parseFieldSelector('spec.missing=,spec.list=,spec.obj=,status.phase=').matches(o)).toBe(true);
  });

  it('is a FieldMatcher', () => {
    const matcher: FieldMatcher = parseFieldSelector('metadata.name=a');
    expect(matcher.matches(pods[0]!)).toBe(true);
  });
});

describe('field selector properties', () => {
  it('escaped values round trip, and printing is idempotent', () => {
    const field = fc.constantFrom('metadata.name', 'status.phase', 'spec.nodeName', 'involvedObject.name');
    fc.assert(
      fc.property(fc.array(fc.tuple(field, fc.constantFrom('=', '==', '!=' as const), fc.string()), { maxLength: 5 }), (terms) => {
        const text = terms.map(([f, op, v]) => `${f}${op}${escapeFieldValue(v)}`).join(',');
        const s = parseFieldSelector(text);
        expect([...s.requirements].map((r) => r.value).sort()).toEqual(terms.map(([, , v]) => v).sort());
        const printed = s.toString();
        expect(parseFieldSelector(printed).toString()).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only selector SkiffErrors on arbitrary text', () => {
    const soup = fc.array(fc.constantFrom('a', 'metadata.name', '=', '==', '!=', '!', ',', '\\', ' ', 'x', '.'), { maxLength: 10 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), soup), fc.constantFrom(undefined, 'Pod', 'Widget'), (text, kind) => {
        try {
          parseFieldSelector(text, kind === undefined ? {} : { kind });
        } catch (err) {
          expect(err).toBeInstanceOf(SkiffError);
          expect(['SKIFF_ERR_SELECTOR_SYNTAX', 'SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD']).toContain((err as SkiffError).code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
