import { apiErrors, apiVersionOf, escapeFieldValue, type ApiWatchEvent, type KubeObject, type WatchQuery } from '@skiff/core';
import type { ResourceContext } from './context.js';
import { boolParam, intParam, strParam } from './query.js';
import { renderWatchEvent } from './render.js';

/**
 * Streams a watch: 200 with headers flushed at once, then one `{"type","object"}` JSON line per
 * event, strictly after `resourceVersion` (or the current state as ADDED first when it is absent
 * or `0`). Ends at `timeoutSeconds` (or a random [min, 2·min] request timeout), after an ERROR
 * event (such as 410 Expired once history is compacted), when the client goes away, or when the
 * server stops. BOOKMARKs are sent only with `allowWatchBookmarks=true`, periodically, carrying
 * the latest resourceVersion the stream has reached. Watch-list (`sendInitialEvents=true`) is
 * refused with 400 so clients fall back to list + watch.
 */
export async function serveWatch(ctx: ResourceContext): Promise<void> {
  const { req, res, route, query, api, runtime } = ctx;
  const { info } = route;
  if (boolParam(query, 'sendInitialEvents')) {
    throw apiErrors.badRequest('sendInitialEvents (watch-list) is not supported by this server: list, then watch from the list\'s resourceVersion');
  }
  const bookmarks = boolParam(query, 'allowWatchBookmarks');
  let fieldSelector = strParam(query, 'fieldSelector');
  if (route.name !== undefined) {
    const byName = `metadata.name=${escapeFieldValue(route.name)}`;
    fieldSelector = fieldSelector ? `${fieldSelector},${byName}` : byName;
  }
  const labelSelector = strParam(query, 'labelSelector');
  const resourceVersion = strParam(query, 'resourceVersion');
  const min = runtime.minRequestTimeoutSeconds;
  const timeoutSeconds = intParam(query, 'timeoutSeconds') || min * (1 + Math.random());
  const watchQuery: WatchQuery = {
    timeoutSeconds,
    ...(labelSelector !== undefined ? { labelSelector } : {}),
    ...(fieldSelector !== undefined ? { fieldSelector } : {}),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
  if (info.namespaced && route.namespace === undefined && route.name !== undefined) {
    throw apiErrors.unknownResource(`${info.plural} "${route.name}" needs a namespace in the path`);
  }
  // Errors here (bad selectors, a malformed resourceVersion) still answer a plain Status.
  const watch = api.watch(info, info.namespaced ? route.namespace : undefined, watchQuery);

  let closed = false;
  const stop = () => {
    closed = true;
    watch.stop();
  };
  const entry = { stop };
  runtime.watches.add(entry);
  res.on('close', stop);
  req.on('close', () => {
    if (!res.writableFinished) stop();
  });

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let latest = resourceVersion && resourceVersion !== '0' ? resourceVersion : undefined;
  const write = async (value: unknown) => {
    if (closed || res.destroyed) return;
    if (!res.write(`${JSON.stringify(value)}\n`)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  let writing: Promise<void> = Promise.resolve();
  const timer = bookmarks
    ? setInterval(() => {
        if (latest === undefined) return;
        const bookmark: ApiWatchEvent = {
          type: 'BOOKMARK',
          object: { apiVersion: apiVersionOf(info), kind: info.kind, metadata: { resourceVersion: latest } } as KubeObject,
        };
        writing = writing.then(() => write(renderWatchEvent(req, info, bookmark)));
      }, runtime.bookmarkIntervalMs)
    : undefined;
  timer?.unref();

  try {
    for await (const event of watch) {
      if (closed) break;
      writing = writing.then(() => write(renderWatchEvent(req, info, event)));
      await writing;
      const rv = event.object?.metadata?.resourceVersion;
      if (event.type !== 'ERROR' && rv) latest = rv;
      if (event.type === 'ERROR') break;
    }
  } catch (err) {
    // The stream is already 200: report an internal error in-stream, then end.
    runtime.log('apiserver: watch failed', err);
    await write({ type: 'ERROR', object: apiErrors.internal(err instanceof Error ? err.message : String(err)).status });
  } finally {
    if (timer) clearInterval(timer);
    await writing.catch(() => undefined);
    stop();
    runtime.watches.delete(entry);
    if (!res.destroyed) res.end();
  }
}
