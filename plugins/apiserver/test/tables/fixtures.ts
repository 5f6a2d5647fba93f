import type { KubeObject } from '@skiff/core';

export const NOW = new Date('2026-01-01T12:00:00Z');

/** An RFC 3339 timestamp `seconds` before {@link NOW}. */
export const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');

/** A minimal object of a kind. */
export function object(apiVersion: string, kind: string, name: string, fields: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'default', creationTimestamp: ago(300), ...meta }, ...fields };
}
