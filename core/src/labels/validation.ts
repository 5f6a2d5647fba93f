/**
 * Label key and value validation with Kubernetes' rules (`validation.IsQualifiedName` and
 * `validation.IsValidLabelValue` in k8s.io/apimachinery). Lengths count UTF-16 code units; any
 * non-ASCII input fails the character rules anyway.
 */

/** Longest allowed label name (the part of a key after the optional `prefix/`) and label value. */
export const LABEL_NAME_MAX_LENGTH = 63;
/** Longest allowed label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Longest allowed key prefix (a DNS-1123 subdomain). */
export const LABEL_PREFIX_MAX_LENGTH = 253;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);

const NAME_CHARS =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const SUBDOMAIN_CHARS =
  "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/**
 * Problems with a label key; an empty array means the key is valid.
 *
 * A key is `[prefix/]name`: the optional prefix is a DNS-1123 subdomain of at most 253 characters
 * (dot-separated labels of lowercase alphanumerics and '-', each starting and ending alphanumeric);
 * the name is 1 to 63 characters of `[A-Za-z0-9_.-]`, starting and ending alphanumeric. A key with
 * more than one '/' is invalid.
 */
export function validateLabelKey(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${NAME_CHARS}, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const problems: string[] = [];
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0) {
      problems.push('prefix part must be non-empty');
    } else {
      if (prefix.length > LABEL_PREFIX_MAX_LENGTH) {
        problems.push(`prefix part must be no more than ${LABEL_PREFIX_MAX_LENGTH} characters`);
      }
      if (!DNS1123_SUBDOMAIN.test(prefix)) problems.push(`prefix part a DNS-1123 subdomain ${SUBDOMAIN_CHARS}`);
    }
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > LABEL_NAME_MAX_LENGTH) {
    problems.push(`name part must be no more than ${LABEL_NAME_MAX_LENGTH} characters`);
  }
  if (!QUALIFIED_NAME.test(name)) problems.push(`name part ${NAME_CHARS}`);
  return problems;
}

/**
 * Problems with a label value; an empty array means the value is valid.
 *
 * A value is empty, or at most 63 characters of `[A-Za-z0-9_.-]` starting and ending alphanumeric.
 */
export function validateLabelValue(value: string): string[] {
  const problems: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) {
    problems.push(`must be no more than ${LABEL_VALUE_MAX_LENGTH} characters`);
  }
  if (value !== '' && !QUALIFIED_NAME.test(value)) problems.push(`a valid label value ${NAME_CHARS}`);
  return problems;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^[+-]?[0-9]+$/;

/**
 * Go's `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, within the signed
 * 64-bit range. Returns undefined when Go would return an error. Internal to the labels module.
 */
export function parseInt64(s: string): bigint | undefined {
  if (!DECIMAL.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}
