// Parent side of sim-process.ts: one simulator process for the whole listing bench.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RecordedRequest, SimulatorOptions } from '../../simulator';
import type { SimCommand } from './sim-process';

export class RemoteSimulator {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`simulator process: ${m.error}`));
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`simulator process exited (${code})`));
      this.pending.clear();
    });
  }

  static spawn(): RemoteSimulator {
    // tsx as a loader, not as a wrapper process, so the IPC channel reaches this script.
    const child = fork(join(__dirname, 'sim-process.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new RemoteSimulator(child);
  }

  private call<T>(message: SimCommand): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...message, id });
    });
  }

  start(
    portfolio: { seed: number; size: number },
    options: Omit<SimulatorOptions, 'numbers'>,
  ): Promise<{ url: string; apiKey: string }> {
    return this.call({ cmd: 'start', portfolio, options });
  }

  log(): Promise<RecordedRequest[]> {
    return this.call({ cmd: 'log' });
  }

  inventoryIds(): Promise<string[]> {
    return this.call({ cmd: 'inventory' });
  }

  close(): Promise<void> {
    return this.call({ cmd: 'close' });
  }

  async exit(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call({ cmd: 'exit' });
    await exited;
  }
}
