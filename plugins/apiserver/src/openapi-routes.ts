import { apiErrors, type Cluster } from '@skiff/core';
import { openApiV2, openApiV3All } from './openapi/index.js';
import { sendJson } from './server/respond.js';
import type { NonResourceRoute } from './server/types.js';

interface Built {
  key: string;
  v3: ReturnType<typeof openApiV3All>;
  v2: object | undefined;
}

/**
 * The OpenAPI routes kubectl reads before `create/apply/replace -f` and for `explain`:
 * `/openapi/v3` (the index of group-versions with hashed URLs), `/openapi/v3/<group-version>`
 * and `/openapi/v2`. Documents are built from the cluster's resources and schemas, cached, and
 * rebuilt when either changes (a CustomResourceDefinition is created or deleted).
 */
export function openApiRoutes(cluster: Cluster): NonResourceRoute[] {
  let built: Built | undefined;
  const current = (): Built => {
    const key = `${cluster.resources.generation}/${cluster.schemas.generation}`;
    if (built?.key !== key) built = { key, v3: openApiV3All(cluster.resources, cluster.schemas), v2: undefined };
    return built;
  };
  return [
    { path: '/openapi/v3', handle: (_req, res) => sendJson(res, 200, current().v3.index) },
    {
      path: '/openapi/v3/',
      handle: (_req, res, ctx) => {
        const gv = ctx.path.slice('/openapi/v3/'.length);
        const doc = current().v3.documents[gv];
        if (!doc) throw apiErrors.unknownResource(`no OpenAPI document for ${gv}`);
        sendJson(res, 200, doc);
      },
    },
    {
      path: '/openapi/v2',
      handle: (_req, res) => {
        const b = current();
        b.v2 ??= openApiV2(cluster.resources, cluster.schemas);
        sendJson(res, 200, b.v2);
      },
    },
  ];
}
