/** RFC 3339 with seconds, as Kubernetes writes `metav1.Time`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
