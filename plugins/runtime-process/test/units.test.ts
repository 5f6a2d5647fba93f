import { describe, expect, it, onTestFinished } from 'vitest';
import { runtimeErrorCode, type ContainerConfig } from '@skiff/sdk';
import { imageBaseName, parseCriLine, resolveArgv } from '../src/index.js';
import { linkMounts, mountTarget } from '../src/command.js';
import { LineAssembler } from '../src/log-reader.js';
import { parseStat } from '../src/proc.js';
import { tempStateDir, reap } from './helpers.js';

const base: ContainerConfig = { name: 'c', image: 'busybox', env: [], labels: {}, annotations: {} };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return runtimeErrorCode(err) ?? String(err);
  }
  return undefined;
}

describe('image and command rules', () => {
  it.each([
    ['busybox', 'busybox'],
    ['busybox:1.36', 'busybox'],
    ['docker.io/library/alpine:3.20', 'alpine'],
    ['registry.example.com:5000/team/app:v1', 'app'],
    ['ubuntu@sha256:abc', 'ubuntu'],
    ['BusyBox', 'busybox'],
  ])('imageBaseName(%s) = %s', (image, want) => expect(imageBaseName(image)).toBe(want));

  it.each<[string, Partial<ContainerConfig>, string[] | string]>([
    ['command replaces the entrypoint, args follow', { image: 'nginx', command: ['/bin/echo'], args: ['a', 'b'] }, ['/bin/echo', 'a', 'b']],
    ['args alone run for an image without entrypoint', { image: 'alpine:3', args: ['sh', '-c', 'true'] }, ['sh', '-c', 'true']],
    ['args alone are refused for other images', { image: 'nginx', args: ['-g', 'daemon off;'] }, 'SKIFF_ERR_RUNTIME_IMAGE'],
    ['nothing to run', { image: 'busybox' }, 'SKIFF_ERR_RUNTIME_IMAGE'],
    ['an empty command is nothing to run', { image: 'nginx', command: [] }, 'SKIFF_ERR_RUNTIME_IMAGE'],
  ])('%s', (_, config, want) => {
    if (typeof want === 'string') expect(codeOf(() => resolveArgv({ ...base, ...config }))).toBe(want);
    else expect(resolveArgv({ ...base, ...config })).toEqual(want);
  });

  it('puts mounts inside the container root and refuses escapes and nesting', () => {
    const root = tempStateDir('skiff-process-units-');
    onTestFinished(() => void reap(root));
    expect(mountTarget(root, { containerPath: '/data/x', hostPath: '/h' })).toBe(`${root}/data/x`);
    expect(mountTarget(root, { containerPath: 'rel', hostPath: '/h' })).toBe(`${root}/rel`);
    expect(mountTarget(root, { containerPath: '/../../etc', hostPath: '/h' })).toBe(`${root}/etc`);
    expect(codeOf(() => mountTarget(root, { containerPath: '/', hostPath: '/h' }))).toBe('SKIFF_ERR_RUNTIME_STATE');
    expect(codeOf(() => linkMounts(root, [{ containerPath: '/a', hostPath: '/tmp' }, { containerPath: '/a/b', hostPath: '/tmp' }]))).toBe('SKIFF_ERR_RUNTIME_STATE');
  });
});

describe('CRI log lines', () => {
  it('parses entries and joins partial pieces per stream', () => {
    expect(parseCriLine('2026-11-28T16:41:55.123456789Z stdout F hello world')).toEqual({
      time: new Date('2026-11-28T16:41:55.123Z'),
      stream: 'stdout',
      partial: false,
      line: 'hello world',
    });
    expect(parseCriLine('2026-11-28T16:41:55.123000000Z stderr F ')).toMatchObject({ stream: 'stderr', line: '' });
    expect(parseCriLine('2026-11-28T16:41:55.123000000Z stderr F')).toMatchObject({ line: '' });
    expect(parseCriLine('garbage')).toBeUndefined();
    expect(parseCriLine('2026-11-28T16:41:55Z other F x')).toBeUndefined();
    const assembler = new LineAssembler();
    const t = '2026-11-28T16:41:55.000000000Z';
    expect(assembler.push(parseCriLine(`${t} stdout P abc`)!)).toBeUndefined();
    expect(assembler.push(parseCriLine(`${t} stderr F err`)!)).toMatchObject({ stream: 'stderr', line: 'err' });
    expect(assembler.push(parseCriLine(`${t} stdout F def`)!)).toMatchObject({ stream: 'stdout', line: 'abcdef' });
  });
});

describe('/proc parsing', () => {
  it('reads fields after a command name holding spaces and parentheses', () => {
    const fields = ['S', '1', '4242', '4242', '0', '-1', '4194560', '10', '0', '0', '0', '7', '3', '2', '1', '20', '0', '1', '0', '123456'];
    const stat = parseStat(`4243 (my (odd) name) ${fields.join(' ')} 0 0`);
    expect(stat).toEqual({ pid: 4243, state: 'S', ppid: 1, pgrp: 4242, utime: 7, stime: 3, cutime: 2, cstime: 1, starttime: 123456 });
  });
});
