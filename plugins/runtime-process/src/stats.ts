import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStats } from '@skiff/sdk';
import { CLOCK_TICKS_PER_SECOND, groupMembers, openFileCount, rssBytes } from './proc.js';

/** What the process runtime's `stats` reports: the contract's fields and two of its own. */
export interface ProcessContainerStats extends ContainerStats {
  /** Open file descriptors of the container's processes. */
  openFiles: number;
  /** How many processes the container's process group has. */
  processes: number;
}

/**
 * Usage of the process group `pgid` from `/proc`: CPU is user + system time of its live processes
 * plus that of the children they already waited for (so it only grows while the main process
 * lives); memory is the sum of their resident sets (`VmRSS`, counting shared pages once per process).
 */
export function groupUsage(pgid: number): Omit<ProcessContainerStats, 'fsUsedBytes'> {
  let ticks = 0;
  let memory = 0;
  let files = 0;
  const members = groupMembers(pgid);
  for (const p of members) {
    ticks += p.utime + p.stime + p.cutime + p.cstime;
    memory += rssBytes(p.pid);
    files += openFileCount(p.pid);
  }
  return {
    cpuUsageCoreNanoSeconds: Math.round((ticks / CLOCK_TICKS_PER_SECOND) * 1e9),
    memoryWorkingSetBytes: memory,
    openFiles: files,
    processes: members.length,
  };
}

/** Disk space used under `dir` (allocated blocks, symlinks not followed), looking at no more than `maxEntries` entries. */
export function diskUsage(dir: string, maxEntries = 10_000): number {
  let total = 0;
  let seen = 0;
  const stack = [dir];
  while (stack.length > 0 && seen < maxEntries) {
    const current = stack.pop()!;
    let entries: string[];
    try {
      entries = readdirSync(current);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > maxEntries) break;
      const path = join(current, entry);
      try {
        const st = lstatSync(path);
        total += st.blocks * 512;
        if (st.isDirectory()) stack.push(path);
      } catch {
        // gone meanwhile
      }
    }
  }
  return total;
}
