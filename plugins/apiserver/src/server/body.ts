import type { IncomingMessage } from 'node:http';
import { apiErrors } from '@skiff/core';

/** The largest body Kubernetes accepts (3 MiB); bigger ones answer 413. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Past this many bytes an oversized body is no longer drained: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole request body. Over `limit` bytes it keeps draining (so the client reads the
 * answer rather than a reset) and then fails with 413; past a hard limit it drops the connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT_BYTES) {
      req.socket.destroy();
      reject(apiErrors.tooLarge(`the request body is larger than the limit of ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT_BYTES) req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(apiErrors.tooLarge(`the request body is larger than the limit of ${limit} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(apiErrors.badRequest('the request body was not fully received'));
    });
  });
}
