import { Ajv, type AnySchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The `x-kubernetes-*` extensions Kubernetes' OpenAPI and CRD schemas use; all are annotations except int-or-string. */
export const KUBERNETES_KEYWORDS = [
  'x-kubernetes-embedded-resource',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-unions',
  'x-kubernetes-validations',
] as const;

/** The keyword that makes a schema without `type`/`anyOf` accept exactly integers and strings. */
export const INT_OR_STRING = 'x-kubernetes-int-or-string';

// ajv-formats is CommonJS; depending on the loader its default import is the plugin or the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * An Ajv instance set up for Kubernetes schemas: all errors, the standard and OpenAPI formats,
 * the `x-kubernetes-*` keywords, `nullable`, and tolerance of other unknown keywords and formats
 * (Kubernetes ignores them). `strict: true` is for checking our own schemas in tests.
 */
export function createAjv(options: { strict?: boolean } = {}): Ajv {
  const strict = options.strict ?? false;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict, strictTypes: false, strictTuples: false, strictRequired: false, logger: false });
  addFormats(ajv);
  ajv.addVocabulary([...KUBERNETES_KEYWORDS]);
  ajv.addKeyword({
    keyword: INT_OR_STRING,
    schemaType: 'boolean',
    // With `type` or `anyOf` alongside (controller-gen and our schemas), those already say it.
    compile: (value: boolean, parent: AnySchemaObject) =>
      value && parent['type'] === undefined && parent['anyOf'] === undefined
        ? (data: unknown) => typeof data === 'string' || Number.isInteger(data)
        : () => true,
  });
  return ajv;
}
