import type { ContainerStats } from '@skiff/sdk';

/** The part of the engine's stats answer the runtime reads (cgroup v1 and v2 shapes). */
export interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number | undefined> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

/**
 * CPU and memory from the engine's stats: CPU is the cumulative `total_usage` (ns); the working
 * set is the usage minus the inactive file cache (cgroup v1 `total_inactive_file`, v2
 * `inactive_file`), never negative, as the kubelet computes it.
 */
export function usageOf(stats: EngineStats): Pick<ContainerStats, 'cpuUsageCoreNanoSeconds' | 'memoryWorkingSetBytes'> {
  const cpu = stats.cpu_stats?.cpu_usage?.total_usage ?? 0;
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const inactive = detail['total_inactive_file'] ?? detail['inactive_file'] ?? 0;
  return { cpuUsageCoreNanoSeconds: cpu, memoryWorkingSetBytes: Math.max(0, usage - inactive) };
}

/** Bytes received and sent over every network of the stats, or undefined without networks. */
export function networkOf(stats: EngineStats): { rxBytes: number; txBytes: number } | undefined {
  if (!stats.networks) return undefined;
  let rxBytes = 0;
  let txBytes = 0;
  for (const n of Object.values(stats.networks)) {
    rxBytes += n.rx_bytes ?? 0;
    txBytes += n.tx_bytes ?? 0;
  }
  return { rxBytes, txBytes };
}
