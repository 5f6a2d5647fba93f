import pkg from '../package.json' with { type: 'json' };

/** The version of @skiff/sdk that is running. */
export const SDK_VERSION: string = pkg.version;
