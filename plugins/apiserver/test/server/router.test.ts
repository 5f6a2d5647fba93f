import { isApiError, ResourceRegistry } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/server/decode.js';
import { deleteQuery, writeOptions } from '../../src/server/query.js';
import { route, splitTarget } from '../../src/server/router.js';
import { warningHeader } from '../../src/server/respond.js';

const resources = new ResourceRegistry();

function summary(target: string): string {
  const r = route(splitTarget(target).segments, resources);
  if (r.type !== 'resource') return r.type;
  return [r.info.plural, r.namespace ?? '-', r.name ?? '-', r.subresource ?? '-', r.watchPath ? 'watch' : ''].join(' ').trim();
}

describe('routing', () => {
  it.each([
    ['/version', 'version'],
    ['/healthz', 'health'],
    ['/api', 'apiVersions'],
    ['/apis', 'groupList'],
    ['/apis/apps', 'group'],
    ['/api/v1', 'resourceList'],
    ['/api/v1/', 'resourceList'],
    ['/apis/apps/v1', 'resourceList'],
    ['/api/v1/pods', 'pods - - -'],
    ['/api/v1/namespaces/default/pods', 'pods default - -'],
    ['/api/v1/namespaces/default/pods/p', 'pods default p -'],
    ['/api/v1/namespaces/default/pods/p/status', 'pods default p status'],
    ['/api/v1/namespaces/default/pods/p/binding', 'pods default p binding'],
    ['/api/v1/namespaces', 'namespaces - - -'],
    ['/api/v1/namespaces/team', 'namespaces team team -'],
    ['/api/v1/namespaces/team/status', 'namespaces team team status'],
    ['/api/v1/namespaces/team/finalize', 'namespaces team team finalize'],
    ['/api/v1/nodes/n1', 'nodes - n1 -'],
    ['/api/v1/watch/namespaces/default/configmaps', 'configmaps default - - watch'],
    ['/apis/apps/v1/namespaces/default/deployments/web/scale?x=1', 'deployments default web scale'],
    ['/api/v1/namespaces/default/configmaps/a%20b', 'configmaps default a b -'],
    ['/api/v1/namespaces/default/nodes', 'notFound'],
    ['/api/v1/namespaces/default/po', 'notFound'],
    ['/api/v1/namespaces/default/deployments', 'notFound'],
    ['/apis/apps/v1/pods', 'notFound'],
    ['/apis/apps/v2', 'notFound'],
    ['/apis/nope', 'notFound'],
    ['/api/v2', 'notFound'],
    ['//api/v1', 'notFound'],
    ['/api/v1/namespaces/default/pods/p/status/x', 'notFound'],
    ['/api/v1/watch', 'notFound'],
    ['*', 'notFound'],
    ['/', 'notFound'],
  ])('%s → %s', (target, expected) => {
    expect(summary(target)).toBe(expected);
  });

  it('refuses broken percent-encoding with 400', () => {
    expect(() => splitTarget('/api/v1/namespaces/%zz/pods')).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));
  });
});

describe('query parameters', () => {
  const q = (s: string) => new URLSearchParams(s);
  it('reads write options and refuses unsupported values', () => {
    expect(writeOptions(q('dryRun=All&fieldValidation=strict&fieldManager=kubectl&force=true'), undefined, [])).toMatchObject({
      dryRun: true,
      fieldValidation: 'Strict',
      fieldManager: 'kubectl',
      force: true,
    });
    for (const bad of ['dryRun=Yes', 'fieldValidation=Loose', 'force=maybe', `fieldManager=${'x'.repeat(129)}`]) {
      expect(() => writeOptions(q(bad), undefined, []), bad).toThrow(expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }));
    }
  });

  it('reads DeleteOptions from the body and the query, body first', () => {
    expect(deleteQuery(q('propagationPolicy=Orphan&gracePeriodSeconds=5'), undefined)).toEqual({ query: { propagationPolicy: 'Orphan', gracePeriodSeconds: 5 }, dryRun: false });
    expect(deleteQuery(q('propagationPolicy=Orphan'), { kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: 'u' }, dryRun: ['All'] })).toEqual({
      query: { propagationPolicy: 'Foreground', preconditions: { uid: 'u' } },
      dryRun: true,
    });
    expect(deleteQuery(q('orphanDependents=true'), undefined).query.propagationPolicy).toBe('Orphan');
    for (const body of [[], 'x', { kind: 'Pod' }, { gracePeriodSeconds: -1 }, { preconditions: { uid: 1 } }, { dryRun: 'All' }]) {
      expect(() => deleteQuery(q(''), body)).toThrow();
    }
  });
});

describe('bodies and headers', () => {
  it('decodes JSON (also without a Content-Type) and YAML; refuses malformed protobuf with 400 and unknown types with 415', () => {
    expect(decodeBody(undefined, Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeBody('application/merge-patch+json; charset=utf-8', Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeBody('application/apply-patch+yaml', Buffer.from('a: 1\nb: [x]\n'))).toEqual({ a: 1, b: ['x'] });
    const code = (ct: string, body = '{}') => {
      try {
        decodeBody(ct, Buffer.from(body));
      } catch (err) {
        return isApiError(err) ? err.status.code : -1;
      }
      return 0;
    };
    expect(code('application/vnd.kubernetes.protobuf', 'k8s\0')).toBe(400);
    expect(code('application/vnd.kubernetes.protobuf', 'not protobuf')).toBe(400);
    expect(code('text/plain')).toBe(415);
    expect(code('application/json', '{')).toBe(400);
    expect(code('application/json', '   ')).toBe(400);
    expect(code('application/apply-patch+yaml', 'a: [')).toBe(400);
    expect(code('application/apply-patch+yaml', 'a: 1\n---\nb: 2\n')).toBe(400);
  });

  it('formats Warning headers as printable, quoted RFC 7234 values', () => {
    expect(warningHeader('unknown field "x"')).toBe('299 - "unknown field \\"x\\""');
    expect(warningHeader('é\r\nnext')).toBe('299 - "???next"');
  });
});
