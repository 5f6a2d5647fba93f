// Filled in by the schema module; see its files.
export {};
