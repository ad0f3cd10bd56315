// What the figures were measured on.
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start, as each section began, and at the end: other work skews timings. */
  loadAverage: { start: number; end?: number; sections: Record<string, number> };
  /** Whether this process maps stack traces (tsx turns it on); the children say for themselves. */
  sourceMaps: boolean;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: { start: loadAverage1(), sections: {} },
    sourceMaps: process.sourceMapsEnabled,
  };
}

export function loadAverage1(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}
