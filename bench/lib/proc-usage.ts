import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 if that fails). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system, all threads) a process has used, from `/proc/<pid>/stat`. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are at 11 and 12 once the first two are cut off.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/**
 * Resident, anonymous-resident and peak-resident memory of a process in MiB, from
 * `/proc/<pid>/status` (VmRSS, RssAnon, VmHWM). RssAnon leaves out file pages (Node's own code),
 * which the kernel may reclaim from an idle process, so it varies less between runs.
 */
export function memoryMiB(pid: number): { rss: number; anon: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, anon: kib('RssAnon') / 1024, peak: kib('VmHWM') / 1024 };
}

/** One process's usage over an idle window. */
export interface IdleUsage {
  pid: number;
  /** CPU time over the window as a percentage of one core. */
  cpuPercent: number;
  /** CPU seconds used over the window. */
  cpuSeconds: number;
  /** VmRSS at the end of the window, MiB. */
  rssMiB: number;
  /** RssAnon at the end of the window (heap, stacks: no file pages), MiB. */
  anonRssMiB: number;
  /** VmHWM (peak RSS since the process started, so including start-up), MiB. */
  peakRssMiB: number;
}

/** Samples `pids` at the start and end of a `ms` window and returns each one's CPU % and memory. */
export async function idleUsage(pids: number[], ms: number): Promise<IdleUsage[]> {
  const t0 = performance.now();
  const cpu0 = pids.map(cpuSeconds);
  await new Promise((r) => setTimeout(r, ms));
  const cpu1 = pids.map(cpuSeconds);
  const seconds = (performance.now() - t0) / 1000;
  return pids.map((pid, i) => {
    const used = cpu1[i]! - cpu0[i]!;
    const mem = memoryMiB(pid);
    return { pid, cpuPercent: (used / seconds) * 100, cpuSeconds: used, rssMiB: mem.rss, anonRssMiB: mem.anon, peakRssMiB: mem.peak };
  });
}
