import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`; 100 on every Linux platform Node runs on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of `/proc/<pid>/stat` the runtime uses. */
export interface ProcStat {
  pid: number;
  /** One-letter state (`R`, `S`, `Z` for a zombie, …). */
  state: string;
  ppid: number;
  pgrp: number;
  /** CPU time in clock ticks: user, system, and of waited-for children. */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** When the process started, in clock ticks since boot: with the pid, it names one process for the life of the boot. */
  starttime: number;
}

/** Parses the text of `/proc/<pid>/stat` (the command name may hold spaces and parentheses). */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // Fields after the name, numbered from 3 (state) as in proc(5).
  const f = text.slice(close + 2).trim().split(' ');
  const num = (field: number) => Number(f[field - 3]);
  return {
    pid,
    state: f[0] ?? '?',
    ppid: num(4),
    pgrp: num(5),
    utime: num(14),
    stime: num(15),
    cutime: num(16),
    cstime: num(17),
    starttime: num(22),
  };
}

/** `/proc/<pid>/stat`, or undefined when there is no such process. */
export function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

let bootIdCache: string | undefined;

/** This boot's id (`/proc/sys/kernel/random/boot_id`): pids and start times only mean something within one boot. */
export function bootId(): string {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootIdCache = '';
    }
  }
  return bootIdCache;
}

/** Identifies one process across pid reuse: its pid, start time (clock ticks since boot) and boot. */
export interface ProcessIdentity {
  pid: number;
  starttime: number;
  bootId: string;
}

/** The identity of a live process now, or undefined when it does not exist. */
export function identityOf(pid: number): ProcessIdentity | undefined {
  const stat = readStat(pid);
  return stat ? { pid, starttime: stat.starttime, bootId: bootId() } : undefined;
}

/** True when `id` still names a live (not zombie) process: same pid, same start time, same boot. */
export function isAlive(id: ProcessIdentity | undefined): boolean {
  if (!id || id.bootId !== bootId()) return false;
  const stat = readStat(id.pid);
  return stat !== undefined && stat.starttime === id.starttime && stat.state !== 'Z' && stat.state !== 'X';
}

/** The live processes whose process group is `pgid` (scans `/proc`). */
export function groupMembers(pgid: number): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') out.push(stat);
  }
  return out;
}

/**
 * The live descendants of `pid` (children, their children, …) found by walking `/proc` parent
 * links, whatever their process group or session: processes that left the container's group with
 * `setsid` are found this way as long as their ancestors live.
 */
export function descendantsOf(pid: number): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    const list = children.get(stat.ppid);
    if (list) list.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const out: ProcStat[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Resident memory of a process in bytes (`VmRSS`), 0 when unknown. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** How many file descriptors a process has open, 0 when unknown. */
export function openFileCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** Sends `signal` to every process of group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
