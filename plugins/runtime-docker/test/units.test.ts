import { describe, expect, it } from 'vitest';
import { imageRef } from '../src/index.js';
import { isValidImageName } from '../src/images.js';
import { FrameDecoder } from '../src/frames.js';
import { LogLineSplitter, parseTimestamp, sinceParam } from '../src/logs.js';
import { usageOf, networkOf } from '../src/stats.js';
import { connectEngine } from '../src/engine.js';

function frame(type: 1 | 2, text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

describe('helpers', () => {
  it('names images as Docker does', () => {
    expect(imageRef('busybox')).toBe('busybox:latest');
    expect(imageRef('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(imageRef('registry.k8s.io/pause:3.10')).toBe('registry.k8s.io/pause:3.10');
    expect(imageRef('app@sha256:abc')).toBe('app@sha256:abc');
    expect(isValidImageName('Not Valid')).toBe(false);
    expect(isValidImageName('ghcr.io/org/app:v1.2')).toBe(true);
  });

  it('demultiplexes frames cut anywhere', () => {
    const all = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')]);
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(all.subarray(0, 5)), ...decoder.push(all.subarray(5, 17)), ...decoder.push(all.subarray(17))];
    expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([['stdout', 'out\n'], ['stderr', 'err\n'], ['stdout', 'more']]);
  });

  it('parses nanosecond timestamps and joins partial lines', () => {
    const t = parseTimestamp('2024-05-06T07:08:09.123456789Z hello')!;
    expect(t.rest).toBe('hello');
    expect(t.time.toISOString()).toBe('2024-05-06T07:08:09.123Z');
    expect(sinceParam(t.ns)).toBe(`${Date.parse('2024-05-06T07:08:09Z') / 1000}.123456789`);
    const splitter = new LogLineSplitter();
    const decoder = new FrameDecoder();
    const lines = [
      ...decoder.push(frame(1, '2024-05-06T07:08:09.000000001Z par')).flatMap((f) => splitter.push(f)),
      ...decoder.push(frame(1, '2024-05-06T07:08:10.000000001Z tial\nnext\n')).flatMap((f) => splitter.push(f)),
      ...decoder.push(frame(2, '2024-05-06T07:08:11Z tail')).flatMap((f) => splitter.push(f)),
    ];
    expect(lines.map((l) => [l.stream, l.line, l.time.toISOString()])).toEqual([
      ['stdout', 'partial', '2024-05-06T07:08:09.000Z'],
      ['stdout', 'next', '2024-05-06T07:08:10.000Z'],
    ]);
    expect(splitter.flush().map((l) => l.line)).toEqual(['tail']);
  });

  it('computes the working set for cgroup v1 and v2, never negative', () => {
    expect(usageOf({ cpu_stats: { cpu_usage: { total_usage: 5 } }, memory_stats: { usage: 100, stats: { total_inactive_file: 30 } } })).toEqual({ cpuUsageCoreNanoSeconds: 5, memoryWorkingSetBytes: 70 });
    expect(usageOf({ memory_stats: { usage: 100, stats: { inactive_file: 40 } } }).memoryWorkingSetBytes).toBe(60);
    expect(usageOf({ memory_stats: { usage: 10, stats: { inactive_file: 40 } } }).memoryWorkingSetBytes).toBe(0);
    expect(usageOf({})).toEqual({ cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 });
    expect(networkOf({ networks: { eth0: { rx_bytes: 1, tx_bytes: 2 }, eth1: { rx_bytes: 3, tx_bytes: 4 } } })).toEqual({ rxBytes: 4, txBytes: 6 });
    expect(networkOf({})).toBeUndefined();
  });

  it('names the engine address it connects to', () => {
    expect(connectEngine('unix:///run/x.sock').host).toBe('unix:///run/x.sock');
    expect(connectEngine('tcp://10.0.0.1:2375').host).toBe('tcp://10.0.0.1:2375');
    expect(connectEngine('/run/y.sock').host).toBe('unix:///run/y.sock');
  });
});
