import { get, num, obj, str, type Obj } from '../access.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { timestampSince } from '../duration.js';
import type { PrintedRow, TablePrinter } from '../types.js';

const name = (o: Obj): string => str(get(o, 'metadata', 'name'));
const age = (o: Obj, now: Date): string => timestampSince(get(o, 'metadata', 'creationTimestamp'), now);
const keyCount = (...maps: unknown[]): number => new Set(maps.flatMap((m) => Object.keys(obj(m)))).size;

/** Namespaces: Name, Status (the phase), Age. */
export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  print: (ns, now) => ({ cells: [name(ns), str(get(ns, 'status', 'phase')), age(ns, now)] }),
};

/** ConfigMaps: Name, Data (number of `data` plus `binaryData` keys), Age. */
export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column('Data', 'string', 'Data contains the configuration data.'), ageColumn()],
  print: (cm, now) => ({
    cells: [name(cm), Object.keys(obj(cm['data'])).length + Object.keys(obj(cm['binaryData'])).length, age(cm, now)],
  }),
};

/** Secrets: Name, Type (default `Opaque`), Data (distinct keys of `data` and any unmerged `stringData`), Age. */
export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  print: (secret, now) => ({ cells: [name(secret), str(secret['type']) || 'Opaque', keyCount(secret['data'], secret['stringData']), age(secret, now)] }),
};

/** Leases: Name, Holder (`spec.holderIdentity`), Age. */
export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  print: (lease, now) => ({ cells: [name(lease), str(get(lease, 'spec', 'holderIdentity')), age(lease, now)] }),
};

/** Like kubectl's `formatEventSource`: component (or reporting controller), then `, host` (or reporting instance). */
function eventSource(event: Obj): string {
  const component = str(get(event, 'source', 'component')) || str(event['reportingController']);
  const host = str(get(event, 'source', 'host')) || str(event['reportingInstance']);
  return host ? `${component}, ${host}` : component;
}

/**
 * kubectl's `printEvent`: LAST SEEN from `lastTimestamp` (else first seen; `series.lastObservedTime`
 * for series), OBJECT as `kind/name` lower-cased kind, COUNT 1 for singleton events.
 */
export function printEvent(event: Obj, now: Date): PrintedRow {
  const firstTimestamp = get(event, 'firstTimestamp');
  const firstSeen = firstTimestamp ? timestampSince(firstTimestamp, now) : timestampSince(event['eventTime'], now);
  let lastSeen = event['lastTimestamp'] ? timestampSince(event['lastTimestamp'], now) : firstSeen;
  let count = num(event['count']);
  const series = event['series'];
  if (series !== undefined && series !== null) {
    lastSeen = timestampSince(get(series, 'lastObservedTime'), now);
    count = num(get(series, 'count'));
  } else if (count === 0) {
    count = 1;
  }
  const involved = obj(event['involvedObject']);
  const kind = str(involved['kind']).toLowerCase();
  const target = str(involved['name']) ? `${kind}/${str(involved['name'])}` : kind;
  return {
    cells: [
      lastSeen,
      str(event['type']),
      str(event['reason']),
      target,
      str(involved['fieldPath']),
      eventSource(event),
      str(event['message']).trim(),
      firstSeen,
      count,
      name(event),
    ],
  };
}

/** Events: Last Seen, Type, Reason, Object, Message; wide: Subobject, Source, First Seen, Count, Name. */
export const eventPrinter: TablePrinter = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    column('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
  ],
  print: printEvent,
};

/** Any other kind (custom resources): Name, Age. */
export const defaultPrinter: TablePrinter = {
  columns: [nameColumn(), ageColumn()],
  print: (o, now) => ({ cells: [name(o), age(o, now)] }),
};
