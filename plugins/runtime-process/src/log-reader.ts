import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { selectPastLines, type LogLine, type LogOptions } from '@skiff/sdk';

/** One entry of a CRI-format log file: `<RFC3339Nano> <stdout|stderr> <F|P> <text>`. */
export interface CriEntry extends LogLine {
  /** `P`: a piece of a longer line, continued by the next entry of the stream. */
  partial: boolean;
}

/** Parses one CRI log entry (without its newline); undefined for a malformed one. */
export function parseCriLine(text: string): CriEntry | undefined {
  const a = text.indexOf(' ');
  const b = text.indexOf(' ', a + 1);
  const c = text.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = text.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? text.slice(b + 1) : text.slice(b + 1, c);
  const time = new Date(text.slice(0, a).replace(/(\.\d{3})\d*/, '$1'));
  if (Number.isNaN(time.getTime())) return undefined;
  return { time, stream, partial: tag === 'P', line: c < 0 ? '' : text.slice(c + 1) };
}

/** Joins `P` pieces into whole lines (per stream), timed by their first piece. */
export class LineAssembler {
  private readonly pending = new Map<string, LogLine>();

  push(entry: CriEntry): LogLine | undefined {
    const held = this.pending.get(entry.stream);
    const line: LogLine = held ? { ...held, line: held.line + entry.line } : { time: entry.time, stream: entry.stream, line: entry.line };
    if (entry.partial) {
      this.pending.set(entry.stream, line);
      return undefined;
    }
    this.pending.delete(entry.stream);
    return line;
  }
}

/** Reads a file from `pos` to its end; returns the complete lines and the position after the last one. */
function readLines(fd: number, pos: number): { lines: string[]; pos: number } {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let at = pos;
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, at);
    if (n <= 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    at += n;
  }
  const all = Buffer.concat(chunks);
  const end = all.lastIndexOf(0x0a);
  if (end < 0) return { lines: [], pos };
  return { lines: all.subarray(0, end).toString('utf8').split('\n'), pos: pos + end + 1 };
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

function openIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch {
    return undefined;
  }
}

/** What {@link readContainerLog} reads. */
export interface LogSource {
  /** The current log file; rotated ones are `<path>.1` (newest) … `<path>.<maxFiles-1>`. */
  path: string;
  maxFiles: number;
  /** True once no more lines will be written (the container exited or is gone). */
  finished(): boolean;
  /** How long to wait between looks while following (default 25 ms). */
  pollMs?: number;
  /** True when the reader should stop (the runtime closed). */
  stopped?(): boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A container's log lines (oldest first) from its CRI-format files: the rotated files, then the
 * current one; `tailLines` and `sinceTime` apply to the lines already written. With `follow`, keeps
 * reading the current file (moving on when it is rotated) until the container has finished and its
 * last lines are read, or the consumer stops iterating.
 */
export async function* readContainerLog(source: LogSource, options: LogOptions = {}): AsyncGenerator<LogLine> {
  const assembler = new LineAssembler();
  const toLines = (texts: string[], out: LogLine[]) => {
    for (const text of texts) {
      const entry = parseCriLine(text);
      if (!entry) continue;
      const line = assembler.push(entry);
      if (line) out.push(line);
    }
  };
  // Open the current file first, so a rotation while reading the older ones is noticed by inode.
  let fd = openIfExists(source.path);
  let pos = 0;
  try {
    const currentInode = fd === undefined ? undefined : fstatSync(fd).ino;
    const past: LogLine[] = [];
    for (let i = source.maxFiles - 1; i >= 1; i--) {
      const rotated = `${source.path}.${i}`;
      if (!existsSync(rotated) || inodeOf(rotated) === currentInode) continue;
      const rfd = openIfExists(rotated);
      if (rfd === undefined) continue;
      try {
        toLines(readLines(rfd, 0).lines, past);
      } finally {
        closeSync(rfd);
      }
    }
    if (fd !== undefined) {
      const read = readLines(fd, 0);
      pos = read.pos;
      toLines(read.lines, past);
    }
    for (const line of selectPastLines(past, options)) yield line;
    if (!options.follow) return;

    const since = options.sinceTime?.getTime();
    const pollMs = source.pollMs ?? 25;
    for (;;) {
      if (source.stopped?.()) return;
      const done = source.finished();
      if (fd === undefined) fd = openIfExists(source.path);
      if (fd !== undefined) {
        const fresh: LogLine[] = [];
        const read = readLines(fd, pos);
        pos = read.pos;
        toLines(read.lines, fresh);
        for (const line of fresh) if (since === undefined || line.time.getTime() >= since) yield line;
        const now = inodeOf(source.path);
        if (now !== undefined && now !== fstatSync(fd).ino) {
          // Rotated: read what the old file got since, then continue with the new one.
          const rest: LogLine[] = [];
          toLines(readLines(fd, pos).lines, rest);
          for (const line of rest) if (since === undefined || line.time.getTime() >= since) yield line;
          closeSync(fd);
          fd = openIfExists(source.path);
          pos = 0;
          continue;
        }
      }
      if (done) return;
      await sleep(pollMs);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
