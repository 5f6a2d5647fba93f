// Filled in by the reconcile module; see its files.
export {};
