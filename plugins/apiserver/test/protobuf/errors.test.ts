/**
 * Content-type detection and the errors decoding raises: 400 for bytes that are not a Kubernetes
 * protobuf body, 415 (naming the kind) for kinds Skiff does not decode from protobuf.
 */
import { isApiError } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, decodeProtobufDeleteOptions, decodeProtobufObject, encodeEnvelope, isProtobufContentType } from '../../src/protobuf/index.js';
import { encodeBody } from './encode.js';

/** Runs `fn` and returns the ApiError it throws. */
function apiErrorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isApiError(err)) return { code: err.httpCode, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('isProtobufContentType', () => {
  it.each([
    ['application/vnd.kubernetes.protobuf', true],
    ['Application/VND.Kubernetes.Protobuf', true],
    ['application/vnd.kubernetes.protobuf; charset=utf-8', true],
    ['application/vnd.kubernetes.protobuf;stream=watch', false],
    ['application/json', false],
    ['application/vnd.kubernetes.protobuf+json', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isProtobufContentType(contentType)).toBe(expected);
  });
});

describe('malformed bodies give 400 BadRequest', () => {
  it('without the k8s\\0 magic', () => {
    const err = apiErrorOf(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(err.message).toMatch(/magic/);
    expect(apiErrorOf(() => decodeProtobufObject(Buffer.alloc(0))).code).toBe(400);
    expect(apiErrorOf(() => decodeProtobufDeleteOptions(Buffer.from('k8s'))).code).toBe(400);
  });

  it('with a truncated envelope', () => {
    const body = encodeBody('v1', 'ConfigMap', { metadata: { name: 'a' }, data: { k: 'v' } });
    const err = apiErrorOf(() => decodeProtobufObject(body.subarray(0, body.length - 5)));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('with a truncated object inside a valid envelope', () => {
    const body = encodeEnvelope('v1', 'ConfigMap', Uint8Array.of(0x0a, 0x7f, 0x0a));
    const err = apiErrorOf(() => decodeProtobufObject(body));
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(err.message).toMatch(/ConfigMap/);
  });

  it('with an envelope that names no kind', () => {
    const body = encodeEnvelope('v1', '', new Uint8Array(0));
    expect(apiErrorOf(() => decodeProtobufObject(body))).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});

describe('unsupported kinds give 415 UnsupportedMediaType naming the kind', () => {
  it('for an object kind Skiff has no description of', () => {
    const body = encodeEnvelope('apps/v1', 'StatefulSet', Uint8Array.of(0x0a, 0x00));
    const err = apiErrorOf(() => decodeProtobufObject(body));
    expect(err).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(err.message).toContain('apps/v1, Kind=StatefulSet');
    expect(err.message).toContain('application/json');
  });

  it('for a known kind under an unknown version', () => {
    const body = encodeEnvelope('apps/v1beta2', 'Deployment', new Uint8Array(0));
    expect(apiErrorOf(() => decodeProtobufObject(body)).message).toContain('apps/v1beta2, Kind=Deployment');
  });

  it('for DeleteOptions passed as an object, and objects passed as DeleteOptions', () => {
    const options = encodeEnvelope('meta.k8s.io/v1', 'DeleteOptions', new Uint8Array(0));
    expect(apiErrorOf(() => decodeProtobufObject(options)).code).toBe(415);
    const configMap = encodeBody('v1', 'ConfigMap', { metadata: { name: 'a' } });
    expect(apiErrorOf(() => decodeProtobufDeleteOptions(configMap))).toMatchObject({ code: 415 });
    expect(decodeProtobufBody(configMap)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'a' } });
  });
});
