import {
  SkiffError,
  conflictError,
  decodeContinue,
  encodeContinue,
  encodeValue,
  existsError,
  matchesListSelectors,
  notFoundError,
  parseRevision,
  stripRevision,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type ObjectBase,
  type Store,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '@skiff/core';
import { Etcd3, GRPCCancelledError, isRecoverableError, type ICompare, type IRangeRequest, type IRangeResponse, type ITxnResponse } from 'etcd3';
import { ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { goneError, isCompactedError, isFutureRevisionError, isTooLargeError } from './etcd-errors.js';
import { decode, etcdKey, keyAfter, prefixEnd, storeKey } from './etcd-keys.js';
import { EtcdWatch } from './etcd-watch.js';
import type { EtcdStoreOptions } from './options.js';

/** etcd values up to the core's 1.5 MiB limit, in pages of up to `pageSize` keys, must fit one gRPC message. */
const MAX_RECEIVE_BYTES = 256 * 1024 * 1024;

/**
 * The store contract on a real etcd v3 cluster. Revisions are etcd's global revisions (an object's
 * resourceVersion is its mod_revision); creates, updates and deletes are single transactions that
 * compare create/mod revisions, so compare-and-swap is etcd's own; lists page through ranges read at
 * one fixed revision; watches are etcd watches with `prev_kv`. See ADR 0003.
 */
export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly prefix: string;
  private readonly pageSize: number;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;
  /** The highest compaction point seen (a lower bound of etcd's). */
  private knownCompacted = 0;
  /** This store's compaction point: `compact(r)` takes effect here at once, and in etcd a little later. */
  private logicalCompacted = 0;
  /** The revision etcd is yet to be compacted to, and the timer that will do it. */
  private pendingPhysical = 0;
  private physicalTimer: NodeJS.Timeout | undefined;
  private physicalRun: Promise<void> = Promise.resolve();
  private readonly graceMs: number;

  constructor(options: EtcdStoreOptions) {
    if (!Array.isArray(options.endpoints) || options.endpoints.length === 0) {
      throw new SkiffError('SKIFF_ERR_STORE_INVALID', 'the etcd store needs at least one endpoint', { endpoints: options.endpoints });
    }
    this.prefix = options.prefix ?? '';
    this.pageSize = options.pageSize ?? 500;
    this.graceMs = options.compactionGraceMs ?? 1000;
    this.client = new Etcd3({
      hosts: options.endpoints,
      dialTimeout: options.dialTimeoutMs ?? 5000,
      grpcOptions: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES },
      // etcd3's default per-host circuit breaker counts a watch we cancel ourselves as a failure,
      // so stopping a few watches would block every call to that host for five seconds.
      faultHandling: { host: () => hostCircuitBreaker() },
    });
  }

  private check(): void {
    if (this.closed) throw new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed');
  }

  private key(key: string): Buffer {
    return etcdKey(this.prefix, key);
  }

  private async range(request: IRangeRequest): Promise<IRangeResponse> {
    try {
      return await this.client.kv.range(request);
    } catch (err) {
      if (isCompactedError(err)) throw goneError(Number(request.revision ?? 0), this.knownCompacted || undefined);
      throw err;
    }
  }

  private async txn(compare: ICompare[], success: Parameters<Etcd3['kv']['txn']>[0]['success'], key: Buffer): Promise<ITxnResponse> {
    try {
      return await this.client.kv.txn({ compare, success, failure: [{ request_range: { key } }] });
    } catch (err) {
      if (isTooLargeError(err)) {
        throw new SkiffError('SKIFF_ERR_STORE_TOO_LARGE', `etcd refused the write to ${key.toString()} as too large`, { key: key.toString() }, { cause: err });
      }
      throw err;
    }
  }

  async get<T extends ObjectBase = KubeObject>(key: string): Promise<T | undefined> {
    this.check();
    const res = await this.range({ key: this.key(key) });
    const kv = res.kvs[0];
    return kv ? decode<T>(kv.value, kv.mod_revision) : undefined;
  }

  async list<T extends ObjectBase = KubeObject>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    this.check();
    const start = this.key(prefix);
    const end = prefixEnd(start);
    let revision = 0;
    let from = start;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      if (token.revision < this.logicalCompacted) throw goneError(token.revision, this.logicalCompacted);
      revision = token.revision;
      from = keyAfter(this.key(token.startAfter));
    }
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const filtered = !!options.labelSelector || !!options.fieldSelector;
    const items: T[] = [];
    let last: string | undefined;
    let remaining = 0;
    for (;;) {
      const pageLimit = filtered || limit === Infinity ? this.pageSize : Math.min(this.pageSize, limit - items.length);
      const res = await this.range({ key: from, range_end: end, revision, limit: pageLimit });
      if (revision === 0) revision = Number(res.header.revision);
      let consumed = 0;
      for (const kv of res.kvs) {
        if (items.length >= limit) break;
        consumed++;
        const obj = decode<T>(kv.value, kv.mod_revision);
        if (!matchesListSelectors(obj, options)) continue;
        items.push(obj);
        last = storeKey(this.prefix, kv);
      }
      // `count` is every key from `from` to the end of the range at this revision.
      remaining = Number(res.count) - consumed;
      const lastKv = res.kvs[consumed - 1];
      if (items.length >= limit || !res.more || !lastKv) break;
      from = keyAfter(lastKv.key);
    }
    const result: ListResult<T> = { items, revision };
    if (remaining > 0 && last !== undefined && items.length >= limit) {
      result.continue = encodeContinue({ revision, startAfter: last });
      if (!filtered) result.remainingItemCount = remaining;
    }
    return result;
  }

  async create<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T> {
    this.check();
    const text = encodeValue(key, stripRevision(value));
    const k = this.key(key);
    const res = await this.txn([{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }], [{ request_put: { key: k, value: Buffer.from(text) } }], k);
    if (!res.succeeded) throw existsError(key);
    return decode<T>(Buffer.from(text), res.header.revision);
  }

  async update<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T> {
    this.check();
    const text = encodeValue(key, stripRevision(value));
    const k = this.key(key);
    const expected = value.metadata?.resourceVersion;
    const compare: ICompare[] = [{ key: k, target: 'Version', result: 'Greater', version: 0 }];
    if (expected) compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: parseRevision(expected) });
    const res = await this.txn(compare, [{ request_put: { key: k, value: Buffer.from(text) } }], k);
    if (!res.succeeded) throw this.failure(key, res, expected);
    return decode<T>(Buffer.from(text), res.header.revision);
  }

  async delete<T extends ObjectBase = KubeObject>(key: string, options: { expectedResourceVersion?: string } = {}): Promise<T> {
    this.check();
    const k = this.key(key);
    const expected = options.expectedResourceVersion;
    const compare: ICompare[] = [{ key: k, target: 'Version', result: 'Greater', version: 0 }];
    if (expected) compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: parseRevision(expected) });
    const res = await this.txn(compare, [{ request_delete_range: { key: k, prev_kv: true } }], k);
    if (!res.succeeded) throw this.failure(key, res, expected);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw notFoundError(key);
    return decode<T>(prev.value, res.header.revision);
  }

  /** The coded error for a failed compare: absent key, else a resourceVersion mismatch. */
  private failure(key: string, res: ITxnResponse, expected: string | undefined): SkiffError {
    const current = res.responses[0]?.response_range?.kvs[0];
    if (!current) return notFoundError(key);
    return conflictError(key, expected ?? '', current.mod_revision);
  }

  watch<T extends ObjectBase = KubeObject>(prefix: string, options: WatchOptions): Watch<T> {
    const start = this.key(prefix);
    const watch: EtcdWatch = new EtcdWatch(
      {
        prefix: this.prefix,
        openStream: () => this.client.watchClient.watch(),
        assertRetained: (revision) => this.assertRetained(revision),
      },
      start,
      prefixEnd(start),
      options,
      () => this.watches.delete(watch),
    );
    const channel = watch.channel;
    if (this.closed) {
      channel.fail(new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed'));
    } else if (options.fromRevision < this.logicalCompacted) {
      channel.fail(goneError(options.fromRevision, this.logicalCompacted));
    } else {
      this.watches.add(watch);
      void watch.start();
    }
    return {
      [Symbol.asyncIterator]: () => (channel as unknown as AsyncIterable<WatchEvent<T>>)[Symbol.asyncIterator](),
      stop: () => channel.close(),
    };
  }

  /**
   * Fails with "gone" when reads at `revision` are compacted. The contract's boundary: after
   * compact(r), watching from r - 1 is gone, though etcd would still stream from revision r.
   */
  private async assertRetained(revision: number): Promise<void> {
    try {
      await this.client.kv.range({ key: this.key('/'), revision, count_only: true, limit: 1 });
    } catch (err) {
      if (isCompactedError(err)) throw goneError(revision, this.knownCompacted || undefined);
      if (isFutureRevisionError(err)) return;
      throw err;
    }
  }

  /**
   * Compacts to `revision`. It takes effect for this store at once (watches and continuations below
   * it fail "gone"); etcd itself is compacted in the background once none of this store's watches
   * could still be catching up below it (see {@link EtcdStoreOptions.compactionGraceMs}).
   */
  async compact(revision: number): Promise<void> {
    this.check();
    const current = await this.currentRevision();
    if (revision > current) {
      throw new SkiffError('SKIFF_ERR_STORE_INVALID', `cannot compact to ${revision}: the current revision is ${current}`, {
        revision,
        current,
      });
    }
    if (revision <= this.logicalCompacted) return;
    this.logicalCompacted = revision;
    this.pendingPhysical = Math.max(this.pendingPhysical, revision);
    this.schedulePhysical(0);
  }

  private schedulePhysical(delayMs: number): void {
    if (this.physicalTimer || this.closed) return;
    this.physicalTimer = setTimeout(() => {
      this.physicalTimer = undefined;
      this.physicalRun = this.physicalRun.then(() => this.compactEtcd(false));
    }, delayMs);
  }

  /** Compacts etcd to the pending revision when every watch of this store is safe from it (or `force`). */
  private async compactEtcd(force: boolean): Promise<void> {
    const target = this.pendingPhysical;
    if (target <= this.knownCompacted) return;
    if (!force) {
      const now = Date.now();
      if (![...this.watches].every((w) => w.safeToCompact(target, now, this.graceMs))) {
        this.schedulePhysical(Math.max(10, Math.min(this.graceMs, 100)));
        return;
      }
    }
    try {
      await this.client.kv.compact({ revision: target, physical: true });
    } catch (err) {
      if (!isCompactedError(err)) {
        if (!this.closed) this.schedulePhysical(this.graceMs);
        return;
      }
      // already compacted at or past it: nothing to do
    }
    this.knownCompacted = Math.max(this.knownCompacted, target);
  }

  async currentRevision(): Promise<number> {
    this.check();
    const res = await this.client.kv.range({ key: this.key('/'), count_only: true, limit: 1 });
    return Number(res.header.revision);
  }

  /**
   * etcd does not report its compaction point, so this finds it: the smallest revision a read can
   * still use, by binary search with count-only ranges (about log2(revision) requests).
   */
  async compactedRevision(): Promise<number> {
    return Math.max(this.logicalCompacted, await this.etcdCompactedRevision());
  }

  private async etcdCompactedRevision(): Promise<number> {
    const current = await this.currentRevision();
    const readable = async (revision: number): Promise<boolean> => {
      try {
        await this.client.kv.range({ key: this.key('/'), revision, count_only: true, limit: 1 });
        return true;
      } catch (err) {
        if (isCompactedError(err)) return false;
        throw err;
      }
    };
    let lo = Math.max(1, this.knownCompacted);
    if (await readable(lo)) return lo === 1 ? this.knownCompacted : lo;
    let hi = current; // always readable
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.knownCompacted = Math.max(this.knownCompacted, hi);
    return hi;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watches]) w.channel.close();
    this.watches.clear();
    if (this.physicalTimer) {
      clearTimeout(this.physicalTimer);
      this.physicalTimer = undefined;
      this.physicalRun = this.physicalRun.then(() => this.compactEtcd(true));
    }
    await this.physicalRun;
    this.client.close();
  }
}

/**
 * A store on the etcd cluster at `options.endpoints`, with every key under `options.prefix`.
 * Connects lazily: the first call fails if etcd cannot be reached.
 */
export function etcdStore(options: EtcdStoreOptions): EtcdStore {
  return new EtcdStore(options);
}

/** Like {@link etcdStore}, but resolves only once etcd answered a read (rejects if it cannot be reached). */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<EtcdStore> {
  const store = new EtcdStore(options);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new SkiffError('SKIFF_ERR_STORE_UNAVAILABLE', `cannot reach etcd at ${options.endpoints.join(', ')}: ${reason}`, {
      endpoints: options.endpoints,
      reason,
    }, { cause: err });
  }
  return store;
}

/** etcd3's default host policy (open for 5 s after 3 consecutive failures) minus our own cancellations. */
function hostCircuitBreaker() {
  return circuitBreaker(
    handleWhen((err) => isRecoverableError(err) && !(err instanceof GRPCCancelledError)),
    { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) },
  );
}
