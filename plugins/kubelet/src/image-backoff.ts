import type { RestartBackoff } from './restart-backoff.js';

interface Entry {
  /** The delay after the last failed pull. */
  delayMs: number;
  /** When the last pull failed. */
  failedAt: number;
}

/**
 * The kubelet's image pull back-off: after a failed pull (`ErrImagePull`) the same image is not
 * tried again for the pod until the delay passed (the container waits in `ImagePullBackOff`
 * meanwhile); each further failure doubles the delay, up to the cap. Keyed by pod uid and image,
 * and kept in memory only, as Kubernetes does (an agent restart tries again at once).
 */
export class ImagePullBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly backoff: Pick<RestartBackoff, 'initialMs' | 'maxMs'>) {}

  /** Milliseconds until the image may be pulled again for the pod (0 = now). */
  remainingMs(podUid: string, image: string, now = Date.now()): number {
    const entry = this.entries.get(key(podUid, image));
    return entry ? Math.max(0, entry.failedAt + entry.delayMs - now) : 0;
  }

  /** Records a failed pull and returns the delay before the next try. */
  failed(podUid: string, image: string, now = Date.now()): number {
    const k = key(podUid, image);
    const before = this.entries.get(k);
    const delayMs = before ? Math.min(before.delayMs * 2, this.backoff.maxMs) : Math.min(this.backoff.initialMs, this.backoff.maxMs);
    this.entries.set(k, { delayMs, failedAt: now });
    return delayMs;
  }

  /** Forgets the pod's entries (its image was pulled, or the pod is gone). */
  clear(podUid: string, image?: string): void {
    if (image !== undefined) {
      this.entries.delete(key(podUid, image));
      return;
    }
    const prefix = `${podUid}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

function key(podUid: string, image: string): string {
  return `${podUid}\u0000${image}`;
}
