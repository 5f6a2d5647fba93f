import pkg from '../../package.json' with { type: 'json' };

/** The version of @skiff/core that is running; plugins declare the range they support. */
export const CORE_VERSION: string = pkg.version;
