import { SkiffError, isSkiffError } from '@skiff/core';

/** The runtime error codes, from core's error table. */
export type RuntimeErrorCode =
  | 'SKIFF_ERR_RUNTIME_NOT_FOUND'
  | 'SKIFF_ERR_RUNTIME_IMAGE'
  | 'SKIFF_ERR_RUNTIME_STATE'
  | 'SKIFF_ERR_RUNTIME_UNAVAILABLE';

/** Makes a runtime error with one of the `SKIFF_ERR_RUNTIME_*` codes. */
export function runtimeError(code: RuntimeErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }): SkiffError {
  return new SkiffError(code, message, details, options);
}

/** The runtime code of an error made by {@link runtimeError}, or undefined for any other error. */
export function runtimeErrorCode(err: unknown): RuntimeErrorCode | undefined {
  if (!isSkiffError(err)) return undefined;
  return err.code.startsWith('SKIFF_ERR_RUNTIME_') ? (err.code as RuntimeErrorCode) : undefined;
}

/** True when `err` is a runtime error, optionally with the given runtime code. */
export function isRuntimeError(err: unknown, code?: RuntimeErrorCode): boolean {
  const actual = runtimeErrorCode(err);
  return actual !== undefined && (code === undefined || actual === code);
}
