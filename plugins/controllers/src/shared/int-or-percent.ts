import { SkiffError } from '@skiff/core';

/**
 * Kubernetes' `GetScaledValueFromIntOrPercent`: an integer as is, or `"N%"` of `total`, rounded up
 * (`roundUp`) or down. A malformed value is a `SKIFF_ERR_SCHEMA_INVALID` error.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new SkiffError('SKIFF_ERR_SCHEMA_INVALID', `invalid value for IntOrString: "${value}" is not an integer or a percentage`, { value });
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
