export { HttpApiServer, type HttpApiServerConfig, type HttpApiServerDeps } from './server.js';
export type { Authenticator, Authorizer, AuthorizationAttributes, AuthorizationDecision, NonResourceRoute } from './types.js';
export { decodeBody } from './decode.js';
export { renderList, renderObject, renderWatchEvent } from './render.js';
export { KUBERNETES_VERSION } from './discovery.js';
export { MAX_BODY_BYTES } from './body.js';
export { sendJson, sendStatus } from './respond.js';
