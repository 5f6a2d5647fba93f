import { SkiffError } from '../errors.js';
import type { KubeObject } from '../objects/types.js';
import { fieldValue, supportedFieldsForKind } from './fields.js';

/** A field selector operator; `=` and `==` mean the same. */
export type FieldOperator = '=' | '==' | '!=';

/** One clause of a field selector: the field's value must (not) equal `value` (unescaped). */
export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

/**
 * A parsed field selector: the AND of its requirements. Immutable.
 *
 * - `matches(object)` compares each field's value (see `parseFieldSelector`) with the requirement.
 * - `empty()` is true when there are no requirements (matches everything).
 * - `toString()` is canonical, like Kubernetes' fields `String()`: terms `field=value` or
 *   `field!=value` (`==` prints as `=`), values escaped with {@link escapeFieldValue}, sorted, joined
 *   by `,`. It reparses to a selector with the same string.
 */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(object: KubeObject): boolean;
  empty(): boolean;
  toString(): string;
}

/** Options for {@link parseFieldSelector}. */
export interface FieldSelectorOptions {
  /** When set, only the fields {@link supportedFieldsForKind} lists for this kind are allowed. */
  kind?: string;
}

/** Kubernetes' `fields.EscapeValue`: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function termToString(r: FieldRequirement): string {
  return `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`;
}

class ParsedFieldSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  private readonly text: string;

  constructor(requirements: FieldRequirement[]) {
    const keyed = requirements.map((r) => ({ r: Object.freeze(r), s: termToString(r) }));
    keyed.sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
    this.requirements = Object.freeze(keyed.map((k) => k.r));
    this.text = keyed.map((k) => k.s).join(',');
  }

  matches(object: KubeObject): boolean {
    return this.requirements.every((r) => (fieldValue(object, r.field) === r.value) === (r.operator !== '!='));
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.text;
  }
}

/** Splits at unescaped commas (a backslash protects the next character), keeping each term's offset. */
function splitTerms(text: string): { term: string; start: number }[] {
  const terms: { term: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push({ term: text.slice(start, i), start });
      start = i + 1;
    }
  }
  terms.push({ term: text.slice(start), start });
  return terms;
}

/** The first `!=`, `==` or `=` in the term (checked in that order at each offset). */
function findOperator(term: string): { at: number; operator: FieldOperator } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of ['!=', '==', '='] as const) {
      if (term.startsWith(operator, i)) return { at: i, operator };
    }
  }
  return undefined;
}

/**
 * Parses Kubernetes field selector text (`fields.ParseSelector`): comma-separated (AND) terms
 * `field=value`, `field==value` or `field!=value`. Values may be empty and escape `\\`, `\,` and `\=`;
 * nothing else may follow a backslash, and a bare `=` in a value is an error. No whitespace is
 * trimmed (it belongs to field or value). Empty terms are skipped, as in Kubernetes, so `""` gives
 * a selector that matches everything. A field is a dotted path of `[A-Za-z0-9_-]` segments.
 *
 * Matching reads the dotted path from the object (`metadata.name`, `spec.nodeName`,
 * `involvedObject.name`…); a missing field is the empty string, booleans compare as `true`/`false`,
 * numbers as decimals. Like the API server, a few fields use the kind's own rules, picked by the
 * object's `kind`: Pod `spec.hostNetwork` and Node `spec.unschedulable` are `false` when absent,
 * ReplicaSet/ReplicationController `status.replicas` is `0` when absent, Job `status.successful`
 * reads `status.succeeded` (`0` when absent), Event `source` is `source.component`, else
 * `reportingComponent`; Pod `status.podIP` falls back to `status.podIPs[0].ip`.
 *
 * Throws `SKIFF_ERR_SELECTOR_SYNTAX` with `{ position, text }` for a term without operator, a bad
 * field path or a bad escape; with `options.kind`, `SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD` with
 * `{ field, kind, position, text }` for a field that kind does not support.
 */
export function parseFieldSelector(text: string, options: FieldSelectorOptions = {}): FieldSelector {
  const requirements: FieldRequirement[] = [];
  const fail = (position: number, problem: string): never => {
    throw new SkiffError('SKIFF_ERR_SELECTOR_SYNTAX', `invalid field selector ${JSON.stringify(text)} at position ${position}: ${problem}`, { position, text });
  };
  for (const { term, start } of splitTerms(text)) {
    if (term === '') continue;
    const found = findOperator(term);
    if (!found) return fail(start, `term ${JSON.stringify(term)} has no operator (=, == or !=)`);
    const field = term.slice(0, found.at);
    if (!FIELD_PATH.test(field)) fail(start, `${JSON.stringify(field)} is not a field path like metadata.name`);
    const valueStart = start + found.at + found.operator.length;
    const value = unescapeValue(term.slice(found.at + found.operator.length), valueStart, fail);
    const { kind } = options;
    if (kind !== undefined && !supportedFieldsForKind(kind).includes(field)) {
      throw new SkiffError('SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD', `field selector ${JSON.stringify(text)}: field "${field}" is not supported for kind ${kind}`, {
        field,
        kind,
        position: start,
        text,
      });
    }
    requirements.push({ field, operator: found.operator, value });
  }
  return new ParsedFieldSelector(requirements);
}

/** Kubernetes' `fields.UnescapeValue`, reporting the offset of the offending character. */
function unescapeValue(raw: string, offset: number, fail: (position: number, problem: string) => never): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === '\\') {
      const escaped = raw.charAt(i + 1);
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        fail(offset + i, `invalid escape sequence ${JSON.stringify(`\\${escaped}`)} (only \\\\, \\, and \\= are allowed)`);
      }
      out += escaped;
      i++;
    } else if (ch === '=' || ch === ',') {
      fail(offset + i, `unescaped '${ch}' in value (write \\${ch})`);
    } else {
      out += ch;
    }
  }
  return out;
}
