import { Channel, SkiffError, type KubeObject, type RawChange, type WatchEvent, type WatchOptions, toWatchEvent } from '@skiff/core';
import type { IDuplexStream, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import { goneError } from './etcd-errors.js';
import { decode, storeKey } from './etcd-keys.js';

/** What a watch needs from the store: opening raw etcd watch streams and checking a revision is retained. */
export interface WatchSource {
  prefix: string;
  openStream(): Promise<IDuplexStream<IWatchRequest, IWatchResponse>>;
  /** Rejects with `SKIFF_ERR_STORE_GONE` when reads at `revision` are no longer possible. */
  assertRetained(revision: number): Promise<void>;
}

const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2000;

/**
 * One Skiff watch on one etcd watch stream. Starts at `fromRevision + 1` with `prev_kv`, turns each
 * etcd event into a watch event through the core's filter, and on a broken stream (a member died)
 * reconnects from the last revision it delivered, so events are never skipped or repeated. etcd's
 * compaction cancel becomes `SKIFF_ERR_STORE_GONE`.
 */
export class EtcdWatch {
  readonly channel: Channel<WatchEvent>;
  /** Every change at or below this revision has been delivered or filtered out. */
  private cursor: number;
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private backoffMs = MIN_BACKOFF_MS;
  private retry: NodeJS.Timeout | undefined;
  /** The start_revision of the current etcd watcher, once etcd confirmed it (created). */
  private createdFrom: number | undefined;
  /** When etcd confirmed the current watcher, and the revision it was then at. */
  private createdAt = 0;
  private createdAtRevision = 0;

  constructor(
    private readonly source: WatchSource,
    private readonly key: Buffer,
    private readonly rangeEnd: Buffer,
    private readonly options: WatchOptions,
    onClose: () => void,
  ) {
    this.cursor = options.fromRevision;
    this.channel = new Channel<WatchEvent>(() => {
      onClose();
      this.teardown();
    });
  }

  /**
   * True when compacting etcd to `revision` cannot hurt this watch: its next event is above it (etcd
   * reads each event's prev_kv at the revision before, so an event at `revision` itself still needs
   * `revision - 1`), or etcd registered it at least `graceMs` ago, or it already streamed up to the
   * revision etcd was at then (so etcd's catch-up of unsynced watchers, every 100 ms, has run).
   */
  safeToCompact(revision: number, now: number, graceMs: number): boolean {
    if (this.channel.isClosed) return true;
    if (this.createdFrom === undefined) return this.cursor + 1 > revision;
    if (this.createdFrom > revision) return true;
    return this.cursor >= this.createdAtRevision || now - this.createdAt >= graceMs;
  }

  /** Checks the start revision is retained (the contract's boundary is one below etcd's), then connects. */
  async start(): Promise<void> {
    try {
      if (this.options.fromRevision > 0) await this.source.assertRetained(this.options.fromRevision);
    } catch (err) {
      this.channel.fail(err);
      return;
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.channel.isClosed) return;
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      stream = await this.source.openStream();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (this.channel.isClosed) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    this.createdFrom = undefined;
    let broken = false;
    const onBroken = () => {
      if (broken || this.stream !== stream) return;
      broken = true;
      this.stream = undefined;
      stream.cancel();
      this.scheduleReconnect();
    };
    stream.on('data', (res) => this.handle(res));
    stream.on('error', onBroken);
    stream.on('end', onBroken);
    stream.write({
      create_request: { key: this.key, range_end: this.rangeEnd, start_revision: this.cursor + 1, prev_kv: true },
    });
  }

  private scheduleReconnect(): void {
    if (this.channel.isClosed) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.retry = setTimeout(() => void this.connect(), delay);
  }

  private handle(res: IWatchResponse): void {
    if (this.channel.isClosed) return;
    const compactRevision = Number(res.compact_revision ?? 0);
    if (compactRevision > 0) {
      this.channel.fail(goneError(this.cursor, compactRevision));
      return;
    }
    if (res.canceled) {
      const reason = res.cancel_reason || 'no reason given';
      this.channel.fail(new SkiffError('SKIFF_ERR_STORE_INVALID', `etcd canceled the watch: ${reason}`, { reason }));
      return;
    }
    if (res.created) {
      this.backoffMs = MIN_BACKOFF_MS;
      this.createdFrom = this.cursor + 1;
      this.createdAt = Date.now();
      this.createdAtRevision = Number(res.header.revision);
    }
    for (const event of res.events ?? []) {
      const revision = Number(event.kv.mod_revision);
      if (revision <= this.cursor) continue; // replayed after a reconnect
      this.cursor = revision;
      const change = this.toChange(event, revision);
      const watchEvent = toWatchEvent(change, this.options.labelSelector, this.options.fieldSelector);
      if (watchEvent) this.channel.push(watchEvent);
    }
  }

  private toChange(event: IEvent, revision: number): RawChange {
    const prefix = this.source.prefix;
    const key = storeKey(prefix, event.kv);
    const prevKv = event.prev_kv;
    const prev = prevKv ? decode<KubeObject>(prevKv.value, prevKv.mod_revision) : undefined;
    if (event.type === 'Delete') return { revision, key, object: undefined, prev };
    const object = decode<KubeObject>(event.kv.value, revision);
    // Without prev_kv (only if etcd could not read it) an update is still an update, not an ADDED.
    const isUpdate = event.kv.create_revision !== event.kv.mod_revision;
    return { revision, key, object, prev: prev ?? (isUpdate ? object : undefined) };
  }

  private teardown(): void {
    if (this.retry) clearTimeout(this.retry);
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }
}
