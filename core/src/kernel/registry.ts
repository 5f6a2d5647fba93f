import { SkiffError } from '../errors.js';

/**
 * A registry of implementations selected by name, for extension points where exactly one
 * implementation is chosen (the store, a runtime by `runtimeClassName`, a scheduler profile).
 * Registering a name twice fails with `SKIFF_ERR_REGISTRY_DUPLICATE`; getting an unknown name
 * fails with `SKIFF_ERR_REGISTRY_UNKNOWN`, listing what is available.
 */
export class Registry<T> {
  private readonly entries = new Map<string, { value: T; owner?: string }>();

  constructor(readonly kind: string) {}

  register(name: string, value: T, owner?: string): void {
    const existing = this.entries.get(name);
    if (existing) {
      throw new SkiffError('SKIFF_ERR_REGISTRY_DUPLICATE', `${this.kind} "${name}" is already registered${existing.owner ? ` by ${existing.owner}` : ''}`, {
        registry: this.kind,
        name,
        owner: existing.owner,
      });
    }
    this.entries.set(name, owner === undefined ? { value } : { value, owner });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): T {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new SkiffError('SKIFF_ERR_REGISTRY_UNKNOWN', `no ${this.kind} named "${name}" (available: ${this.names().join(', ') || 'none'})`, {
        registry: this.kind,
        name,
        available: this.names(),
      });
    }
    return entry.value;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }
}
