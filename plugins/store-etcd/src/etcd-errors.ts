import { SkiffError } from '@skiff/core';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for etcd's "mvcc: required revision has been compacted" (from a range or a compaction). */
export function isCompactedError(err: unknown): boolean {
  return messageOf(err).includes('required revision has been compacted');
}

/** True for etcd's "mvcc: required revision is a future revision". */
export function isFutureRevisionError(err: unknown): boolean {
  return messageOf(err).includes('required revision is a future revision');
}

/** True when etcd refused a request for its size (`--max-request-bytes`). */
export function isTooLargeError(err: unknown): boolean {
  const m = messageOf(err);
  return m.includes('request is too large') || m.includes('larger than max');
}

/** The coded "gone" error for a revision etcd has compacted. */
export function goneError(revision: number, compacted?: number): SkiffError {
  const oldest = compacted === undefined ? '' : ` (oldest is ${compacted})`;
  return new SkiffError('SKIFF_ERR_STORE_GONE', `revision ${revision} has been compacted${oldest}`, {
    revision,
    ...(compacted === undefined ? {} : { compacted }),
  });
}
