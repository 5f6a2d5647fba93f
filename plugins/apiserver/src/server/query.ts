import { apiErrors, type DeleteQuery, type RequestOptions, type UserInfo } from '@skiff/core';

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False', '']);

/** Go's strconv.ParseBool, as Kubernetes parses boolean query parameters. */
export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || FALSE.has(v)) return false;
  if (TRUE.has(v)) return true;
  throw apiErrors.badRequest(`${name}: invalid boolean value "${v}"`);
}

/** A non-negative integer query parameter, or undefined when absent or empty. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw apiErrors.badRequest(`${name}: must be a non-negative integer (got "${v.slice(0, 64)}")`);
  return Number(v);
}

/** A string query parameter, or undefined when absent or empty. */
export function strParam(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : v;
}

const FIELD_VALIDATION: Record<string, 'Ignore' | 'Warn' | 'Strict'> = { ignore: 'Ignore', warn: 'Warn', strict: 'Strict' };

/** `dryRun`: only `All` is a valid value (Kubernetes' rule). */
export function dryRunParam(values: readonly string[]): boolean {
  for (const v of values) {
    if (v !== 'All') throw apiErrors.badRequest(`dryRun: Unsupported value: "${v.slice(0, 64)}": supported values: "All"`);
  }
  return values.length > 0;
}

/**
 * Write options from the query: `dryRun=All`, `fieldValidation` (Strict/Warn/Ignore),
 * `fieldManager`, `force` (server-side apply). Warnings are collected into `warnings`.
 * `fieldManager` and `force` are carried for server-side apply; core reads them once it serves apply.
 */
export type WriteOptions = RequestOptions & { fieldManager?: string; force?: boolean };

export function writeOptions(q: URLSearchParams, user: UserInfo | undefined, warnings: string[]): WriteOptions {
  const options: WriteOptions = { warnings };
  if (user) options.user = user;
  if (dryRunParam(q.getAll('dryRun'))) options.dryRun = true;
  const fv = strParam(q, 'fieldValidation');
  if (fv !== undefined) {
    const policy = FIELD_VALIDATION[fv.toLowerCase()];
    if (!policy) throw apiErrors.badRequest(`fieldValidation: Unsupported value: "${fv.slice(0, 64)}": supported values: "Ignore", "Strict", "Warn"`);
    options.fieldValidation = policy;
  }
  const fm = strParam(q, 'fieldManager');
  if (fm !== undefined) {
    if (fm.length > 128 || !/^[\x20-\x7e]+$/.test(fm)) throw apiErrors.badRequest('fieldManager: must be at most 128 printable ASCII characters');
    options.fieldManager = fm;
  }
  if (q.has('force')) options.force = boolParam(q, 'force');
  return options;
}

/** `DeleteOptions` from a JSON body and/or query parameters (the body wins where both are given). */
export function deleteQuery(q: URLSearchParams, body: unknown): { query: DeleteQuery; dryRun: boolean } {
  const query: DeleteQuery = {};
  let dryRun = dryRunParam(q.getAll('dryRun'));
  const policy = strParam(q, 'propagationPolicy');
  if (policy !== undefined) query.propagationPolicy = policy as DeleteQuery['propagationPolicy'];
  if (q.has('orphanDependents') && query.propagationPolicy === undefined) {
    query.propagationPolicy = boolParam(q, 'orphanDependents') ? 'Orphan' : 'Background';
  }
  const grace = intParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) query.gracePeriodSeconds = grace;
  const uid = strParam(q, 'preconditions.uid');
  const rv = strParam(q, 'preconditions.resourceVersion');
  if (uid !== undefined || rv !== undefined) query.preconditions = { ...(uid ? { uid } : {}), ...(rv ? { resourceVersion: rv } : {}) };

  if (body !== undefined) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw apiErrors.badRequest('the DeleteOptions body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b['kind'] !== undefined && b['kind'] !== 'DeleteOptions') throw apiErrors.badRequest(`expected a DeleteOptions body, got kind ${JSON.stringify(b['kind'])}`);
    if (b['propagationPolicy'] !== undefined) {
      if (typeof b['propagationPolicy'] !== 'string') throw apiErrors.badRequest('propagationPolicy must be a string');
      query.propagationPolicy = b['propagationPolicy'] as DeleteQuery['propagationPolicy'];
    } else if (typeof b['orphanDependents'] === 'boolean') {
      query.propagationPolicy = b['orphanDependents'] ? 'Orphan' : 'Background';
    }
    if (b['gracePeriodSeconds'] !== undefined && b['gracePeriodSeconds'] !== null) {
      if (typeof b['gracePeriodSeconds'] !== 'number' || !Number.isInteger(b['gracePeriodSeconds']) || b['gracePeriodSeconds'] < 0) {
        throw apiErrors.badRequest('gracePeriodSeconds must be a non-negative integer');
      }
      query.gracePeriodSeconds = b['gracePeriodSeconds'];
    }
    const pre = b['preconditions'];
    if (pre !== undefined && pre !== null) {
      if (typeof pre !== 'object' || Array.isArray(pre)) throw apiErrors.badRequest('preconditions must be an object');
      const p = pre as Record<string, unknown>;
      if ((p['uid'] !== undefined && typeof p['uid'] !== 'string') || (p['resourceVersion'] !== undefined && typeof p['resourceVersion'] !== 'string')) {
        throw apiErrors.badRequest('preconditions.uid and preconditions.resourceVersion must be strings');
      }
      query.preconditions = {
        ...(p['uid'] ? { uid: p['uid'] as string } : {}),
        ...(p['resourceVersion'] ? { resourceVersion: p['resourceVersion'] as string } : {}),
      };
    }
    if (b['dryRun'] !== undefined) {
      if (!Array.isArray(b['dryRun']) || b['dryRun'].some((v) => typeof v !== 'string')) throw apiErrors.badRequest('dryRun must be a list of strings');
      dryRun = dryRunParam(b['dryRun'] as string[]) || dryRun;
    }
  }
  return { query, dryRun };
}
