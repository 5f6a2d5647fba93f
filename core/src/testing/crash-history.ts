/** Checking a store against what a crash-test writer acknowledged before it was killed (see runScript). */
/** One acknowledged (or replayed) write: `value` undefined means a delete. */
export interface HistoryEntry {
  key: string;
  revision: number;
  value: string | undefined;
}

/** Parses the crash writer's ack lines (`put <key> <rev> <value>` / `del <key> <rev>`). */
export function parseAcks(lines: readonly string[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const line of lines) {
    const [op, key, rev, value] = line.split(' ');
    if (op === 'put' && key && rev && value) out.push({ key, revision: Number(rev), value });
    else if (op === 'del' && key && rev) out.push({ key, revision: Number(rev), value: undefined });
  }
  return out;
}

/** The state a history leaves: each key's latest value and revision (deleted keys absent). */
export function fold(history: readonly HistoryEntry[]): Map<string, HistoryEntry> {
  const state = new Map<string, HistoryEntry>();
  for (const h of history) {
    if (h.value === undefined) state.delete(h.key);
    else state.set(h.key, h);
  }
  return state;
}

/**
 * Checks a replayed history against what was known before this run plus this run's acks: the
 * known prefix and every ack must be there, in order, with nothing else except at most one
 * trailing write that committed but was killed before it was acknowledged. Returns a message per problem.
 */
export function compareHistory(replayed: readonly HistoryEntry[], known: readonly HistoryEntry[], acks: readonly HistoryEntry[]): string[] {
  const expected = [...known, ...acks];
  const problems: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i] as HistoryEntry;
    const got = replayed[i];
    if (!got || got.key !== want.key || got.revision !== want.revision || got.value !== want.value) {
      problems.push(`entry ${i}: expected ${JSON.stringify(want)}, replayed ${JSON.stringify(got)}`);
      if (problems.length > 5) break;
    }
  }
  const extra = replayed.slice(expected.length);
  const last = expected[expected.length - 1]?.revision ?? 0;
  if (extra.length > 1) problems.push(`${extra.length} unacknowledged writes after revision ${last}; at most 1 can be in flight`);
  if (extra.length === 1 && (extra[0] as HistoryEntry).revision <= last) problems.push(`an unacknowledged write is out of order`);
  return problems;
}
