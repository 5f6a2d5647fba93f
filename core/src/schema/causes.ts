import type { ErrorObject } from 'ajv';
import { INT_OR_STRING } from './ajv.js';
import { jsonType, render } from './paths.js';
import type { StatusCause, StatusCauseReason } from './types.js';

/** Turns a JSON pointer into a Kubernetes field path. */
export type DescribePointer = (pointer: string) => string;

const escape = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const quoteAll = (values: unknown): string => (Array.isArray(values) ? values : [values]).map((v) => render(v)).join(', ');
const cause = (field: string, reason: StatusCauseReason, message: string): StatusCause => ({ field, reason, message });

const COMBINATORS = new Set(['anyOf', 'oneOf']);

/** The cause for one ajv error; `absorbed` are the errors of a failed anyOf/oneOf's branches. */
function toCause(error: ErrorObject, describe: DescribePointer, absorbed: ErrorObject[]): StatusCause | undefined {
  const params = error.params as Record<string, unknown>;
  const field = describe(error.instancePath);
  const value: unknown = error.data;
  const limit = Number(params['limit']);
  const invalid = (detail: string) => cause(field, 'FieldValueInvalid', `Invalid value: ${render(value)}: ${detail}`);
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
      return cause(describe(`${error.instancePath}/${escape(String(params['missingProperty']))}`), 'FieldValueRequired', 'Required value');
    case 'type':
      return cause(field, 'FieldValueTypeInvalid', `Invalid value: "${jsonType(value)}": must be of type ${String(params['type'])}`);
    case INT_OR_STRING:
      return cause(field, 'FieldValueTypeInvalid', `Invalid value: "${jsonType(value)}": must be of type integer or string`);
    case 'enum':
      return cause(field, 'FieldValueNotSupported', `Unsupported value: ${render(value)}: supported values: ${quoteAll(params['allowedValues'])}`);
    case 'const':
      return cause(field, 'FieldValueNotSupported', `Unsupported value: ${render(value)}: supported values: ${quoteAll(params['allowedValue'])}`);
    case 'maxLength':
      return cause(field, 'FieldValueTooLong', `Too long: may not be longer than ${limit}`);
    case 'maxItems':
    case 'maxProperties':
      return cause(field, 'FieldValueTooMany', `Too many: must have at most ${limit} items`);
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return limit === 1 ? cause(field, 'FieldValueRequired', 'Required value') : invalid(error.message ?? 'too short');
    case 'uniqueItems': {
      const index = Math.max(Number(params['i']), Number(params['j']));
      const item = Array.isArray(value) ? value[index] : undefined;
      return cause(`${field}[${index}]`, 'FieldValueDuplicate', `Duplicate value: ${render(item)}`);
    }
    case 'additionalProperties':
      return cause(describe(`${error.instancePath}/${escape(String(params['additionalProperty']))}`), 'FieldValueForbidden', 'Forbidden: field not declared in schema');
    case 'false schema':
    case 'not':
      return cause(field, 'FieldValueForbidden', 'Forbidden: value not allowed by the schema');
    case 'if':
      return undefined; // the failing `then`/`else` errors say what is wrong
    case 'anyOf':
    case 'oneOf': {
      const types = absorbed.filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath);
      if (absorbed.length > 0 && types.length === absorbed.length) {
        const names = [...new Set(types.map((e) => String((e.params as Record<string, unknown>)['type'])))];
        return cause(field, 'FieldValueTypeInvalid', `Invalid value: "${jsonType(value)}": must be of type ${names.join(' or ')}`);
      }
      // One branch got the type right but the value wrong (a quantity string that is not one): say that.
      const others = absorbed.filter((e) => e.keyword !== 'type');
      const [only] = others;
      if (only && others.length === 1 && !params['passingSchemas']) return toCause(only, describe, []);
      return invalid(params['passingSchemas'] ? 'must match exactly one schema' : 'must match one of the allowed schemas');
    }
    default:
      return invalid(error.message ?? `failed ${error.keyword} validation`);
  }
}

/**
 * Maps ajv errors (from `allErrors: true, verbose: true`) to Kubernetes-style causes: one per
 * problem, the errors inside a failed `anyOf`/`oneOf` folded into it, a wrong type superseding
 * other complaints about the same value, deduplicated by field and reason.
 */
export function causesFromAjv(errors: readonly ErrorObject[], describe: DescribePointer): StatusCause[] {
  // Outermost first, so an error inside nested combinators belongs to the outer one.
  const combinators = errors.filter((e) => COMBINATORS.has(e.keyword)).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const within = (e: ErrorObject, c: ErrorObject) =>
    c !== e &&
    e.schemaPath.startsWith(`${c.schemaPath}/`) &&
    (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`));
  const owner = (e: ErrorObject) => combinators.find((c) => within(e, c));
  const causes: StatusCause[] = [];
  for (const error of errors) {
    if (owner(error)) continue;
    const absorbed = COMBINATORS.has(error.keyword) ? errors.filter((e) => owner(e) === error) : [];
    const c = toCause(error, describe, absorbed);
    if (c) causes.push(c);
  }
  // A value of the wrong type is one problem, not also a bad format or range.
  const mistyped = new Set(causes.filter((c) => c.reason === 'FieldValueTypeInvalid').map((c) => c.field));
  return dedupeCauses(causes.filter((c) => c.reason === 'FieldValueTypeInvalid' || !mistyped.has(c.field)));
}

/** Keeps the first cause for each field and reason. */
export function dedupeCauses(causes: readonly StatusCause[]): StatusCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const key = `${c.field}\u0000${c.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
