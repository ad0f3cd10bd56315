// moto's server mode (an emulated AWS account) as a child process on 127.0.0.1, port 0. The port is
// read from moto's own start-up line; close() sends SIGTERM, then SIGKILL if it lingers past 2 s.
import { type ChildProcess, spawn } from 'node:child_process';

export interface Moto {
  /** http://127.0.0.1:PORT: an IP, so the S3 client addresses buckets path-style. */
  endpoint: string;
  close(): Promise<void>;
}

export interface MotoOptions {
  /** Extra environment for the server (e.g. MOTO_ENABLE_RECORDING). */
  env?: Record<string, string>;
  /** Start-up deadline; moto imports every service's backend lazily, but Python itself is slow to start. */
  timeoutMs?: number;
}

export const MOTO_INSTALL_HINT = "moto's server mode is needed: pip install 'moto[server]' (5.2 or newer)";

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`moto did not report its port within ${options.timeoutMs ?? 30_000} ms`),
      options.timeoutMs ?? 30_000,
    );
    function fail(message: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${message}\n${stderr.slice(-2000)}\n${MOTO_INSTALL_HINT}`));
    }
    child.once('error', (e) => fail(`could not start python3: ${e.message}`));
    child.once('exit', (code) => fail(`moto exited with ${code} before listening`));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(Number(m[1]));
      }
    });
  });
  // Keep draining stderr (moto logs every request there) so the pipe never fills and blocks it.
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
