import type Docker from 'dockerode';
import { runtimeError, type ImageErrorReason, type ImagePullPolicy } from '@skiff/sdk';
import { engineError, engineMessage, isConnectionError, statusOf } from './engine.js';

/**
 * The reference Docker uses for `image`: a bare name means `:latest` (`busybox` →
 * `busybox:latest`); a tag or a digest is kept.
 */
export function imageRef(image: string): string {
  if (image.includes('@')) return image;
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? image : `${image}:latest`;
}

/** Whether `image` reads as an image reference (a loose version of Docker's grammar). */
export function isValidImageName(image: string): boolean {
  return /^[a-z0-9]+(?:[._-]+[a-z0-9]+|[:.][0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/.test(image);
}

function imageError(image: string, reason: ImageErrorReason, message: string, cause?: unknown) {
  return runtimeError('SKIFF_ERR_RUNTIME_IMAGE', message, { image, reason }, cause === undefined ? undefined : { cause });
}

/** True when the engine has the image. */
export async function hasImage(docker: Docker, image: string, host: string): Promise<boolean> {
  try {
    await docker.getImage(imageRef(image)).inspect();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    if (statusOf(err) === 400) throw imageError(image, 'InvalidImageName', `Failed to apply default image tag "${image}": ${engineMessage(err)}`, err);
    throw engineError(err, host, `inspecting image "${image}"`);
  }
}

/**
 * Pulls `image`, following the engine's progress stream to its end (a failed pull often answers
 * 200 and reports the error inside the stream). Fails with `SKIFF_ERR_RUNTIME_IMAGE`
 * (`ErrImagePull`) naming the image and the engine's error.
 */
export async function pullImage(docker: Docker, image: string, host: string): Promise<void> {
  const ref = imageRef(image);
  const failed = (message: string, cause?: unknown) => imageError(image, 'ErrImagePull', `Failed to pull image "${image}": ${message}`, cause);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref);
  } catch (err) {
    if (isConnectionError(err)) throw engineError(err, host, `pulling image "${image}"`);
    if (statusOf(err) === 400) throw imageError(image, 'InvalidImageName', `Failed to pull image "${image}": ${engineMessage(err)}`, err);
    throw failed(engineMessage(err), err);
  }
  const output = await new Promise<Array<{ error?: string; errorDetail?: { message?: string } }>>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: unknown, out: Array<{ error?: string; errorDetail?: { message?: string } }>) => (err ? reject(failed(engineMessage(err), err)) : resolve(out ?? [])));
  });
  const error = output.find((event) => event.error || event.errorDetail);
  if (error) throw failed(error.errorDetail?.message ?? error.error ?? 'the engine reported an error');
}

/**
 * Makes sure the engine has `image` as `policy` says: `Never` only checks (missing →
 * `ErrImageNeverPull`), `IfNotPresent` pulls when missing, `Always` pulls every time.
 */
export async function ensureImage(docker: Docker, image: string, policy: ImagePullPolicy, host: string): Promise<void> {
  if (!isValidImageName(image)) throw imageError(image, 'InvalidImageName', `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": invalid reference format`);
  if (policy === 'Always') return pullImage(docker, image, host);
  if (await hasImage(docker, image, host)) return;
  if (policy === 'Never') throw imageError(image, 'ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
  await pullImage(docker, image, host);
}
