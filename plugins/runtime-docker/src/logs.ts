import type { LogLine } from '@skiff/sdk';
import type { Frame } from './frames.js';

/** A log line with its exact engine time (nanoseconds since the epoch), for de-duplication. */
export interface EngineLogLine extends LogLine {
  ns: bigint;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;

/** Parses the RFC 3339 (nano) time Docker puts before each message with `timestamps=true`. */
export function parseTimestamp(text: string): { ns: bigint; time: Date; rest: string } | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = (m[2] ?? '').padEnd(9, '0');
  const ns = BigInt(seconds) * 1_000_000n + BigInt(fraction);
  return { ns, time: new Date(Number(ns / 1_000_000n)), rest: text.slice(m[0].length) };
}

/** The `since` value the engine accepts (`seconds.nanoseconds`) for a time in nanoseconds. */
export function sinceParam(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

/**
 * Turns the engine's log frames into lines: each frame is one message with its time prefix; a
 * message without a trailing newline is a partial line, completed by the next message of the same
 * stream (it keeps the time of its first part).
 */
export class LogLineSplitter {
  private readonly pending: Record<'stdout' | 'stderr', { ns: bigint; time: Date; text: string } | undefined> = { stdout: undefined, stderr: undefined };

  /** Adds one frame; returns the lines it completed. */
  push(frame: Frame): EngineLogLine[] {
    const text = frame.data.toString('utf8');
    const parsed = parseTimestamp(text);
    const now = BigInt(Date.now()) * 1_000_000n;
    const ns = parsed?.ns ?? now;
    const body = parsed ? parsed.rest : text;
    const out: EngineLogLine[] = [];
    let pending = this.pending[frame.stream];
    const parts = body.split('\n');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (last) {
        if (part.length > 0) pending = pending ? { ...pending, text: pending.text + part } : { ns, time: new Date(Number(ns / 1_000_000n)), text: part };
        break;
      }
      const start = pending ?? { ns, time: new Date(Number(ns / 1_000_000n)), text: '' };
      out.push({ ns: start.ns, time: start.time, stream: frame.stream, line: start.text + part });
      pending = undefined;
    }
    this.pending[frame.stream] = pending;
    return out;
  }

  /** The partial lines left when the stream ended, as lines. */
  flush(): EngineLogLine[] {
    const out: EngineLogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const p = this.pending[stream];
      if (p) out.push({ ns: p.ns, time: p.time, stream, line: p.text });
      this.pending[stream] = undefined;
    }
    return out.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  }
}
