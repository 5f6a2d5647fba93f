// Filled in by the labels module; see its files.
export {};
