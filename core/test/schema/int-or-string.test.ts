import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBuiltinSchemaRegistry } from '../../src/schema/index.js';
import { copyOf, daemonSet, deployment, service } from './fixtures.js';

const registry = createBuiltinSchemaRegistry();

const withTargetPort = (value: unknown) => {
  const svc = copyOf(service);
  svc['spec']['ports'][0]['targetPort'] = value;
  return svc;
};

describe('IntOrString fields', () => {
  it.each([8080, 'http', '8080'])('Service targetPort accepts %j', (value) => {
    expect(registry.validate(withTargetPort(value)).valid).toBe(true);
  });

  it.each([1.5, true, { port: 1 }, ['http']])('Service targetPort rejects %j as a type error', (value) => {
    expect(registry.validate(withTargetPort(value)).causes).toEqual([
      expect.objectContaining({ field: 'spec.ports[0].targetPort', reason: 'FieldValueTypeInvalid' }),
    ]);
  });

  it.each([
    [1, '25%'],
    ['50%', 0],
    [2, 3],
  ])('Deployment rollingUpdate accepts maxSurge %j, maxUnavailable %j', (maxSurge, maxUnavailable) => {
    const d = copyOf(deployment);
    d['spec']['strategy']['rollingUpdate'] = { maxSurge, maxUnavailable };
    expect(registry.validate(d).valid).toBe(true);
  });

  it('probe ports take names or numbers', () => {
    const d = copyOf(daemonSet);
    const container = d['spec']['template']['spec']['containers'][0];
    container['livenessProbe'] = { httpGet: { path: '/', port: 'metrics' } };
    container['readinessProbe'] = { tcpSocket: { port: 9100 } };
    expect(registry.validate(d).valid).toBe(true);
    container['readinessProbe'] = { tcpSocket: { port: false } };
    expect(registry.validate(d).causes.map((c) => [c.field, c.reason])).toEqual([
      ['spec.template.spec.containers[0].readinessProbe.tcpSocket.port', 'FieldValueTypeInvalid'],
    ]);
  });

  it('any integer or string is accepted, anything else is a type error (property)', () => {
    const intOrString = fc.oneof(fc.integer(), fc.string());
    const other = fc.oneof(fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(fc.integer()), fc.dictionary(fc.string(), fc.integer()));
    fc.assert(fc.property(intOrString, (v) => registry.validate(withTargetPort(v)).valid));
    fc.assert(
      fc.property(other, (v) => {
        const { causes } = registry.validate(withTargetPort(v));
        return causes.length === 1 && causes[0]?.reason === 'FieldValueTypeInvalid';
      }),
    );
  });
});
