import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { describeRuntimeEndToEnd } from './runtime-e2e.js';

// A marker in the servers' command lines, to find them among the host's processes.
const MARKER = `skiff-e2e-${randomUUID()}`;
const SERVER = `/* ${MARKER} */ require('http').createServer((q, s) => s.end('hi from ' + process.env.POD_IP)).listen(8080, process.env.POD_IP, () => console.log('listening on ' + process.env.POD_IP))`;

const running = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(MARKER));

// The process runtime runs the command on the host; the image is only a name.
describeRuntimeEndToEnd({
  runtime: 'process',
  server: { image: 'node:20', command: [process.execPath, '-e', SERVER] },
  body: (ip) => `hi from ${ip}`,
  async afterStop() {
    expect(running()).toEqual([]);
  },
});
