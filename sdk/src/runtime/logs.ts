import type { LogLine, LogOptions } from './types.js';

/**
 * Applies `sinceTime` and `tailLines` to the lines already written (oldest first), for a runtime's
 * `logs` to yield before it follows. Returns a new array.
 */
export function selectPastLines(lines: readonly LogLine[], options: LogOptions = {}): LogLine[] {
  let out = options.sinceTime ? lines.filter((l) => l.time.getTime() >= options.sinceTime!.getTime()) : lines.slice();
  if (options.tailLines !== undefined) out = options.tailLines <= 0 ? [] : out.slice(-options.tailLines);
  return out;
}

/**
 * Shapes lines for the consumer: adds `timestamps` prefixes and stops at `limitBytes`. Wrap a
 * runtime's raw line stream in it so every runtime treats these options alike.
 */
export async function* shapeLogLines(lines: AsyncIterable<LogLine>, options: LogOptions = {}): AsyncGenerator<LogLine> {
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  for await (const raw of lines) {
    const line = options.timestamps ? { ...raw, line: `${raw.time.toISOString()} ${raw.line}` } : raw;
    budget -= Buffer.byteLength(line.line, 'utf8') + 1;
    if (budget < 0) return;
    yield line;
  }
}
