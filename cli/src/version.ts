import pkg from '../package.json' with { type: 'json' };

/** The version of @skiff/cli that is running. */
export const CLI_VERSION: string = pkg.version;
