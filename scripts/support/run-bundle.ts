// Runs a synthesized function's bundle as Lambda loads it, in a fresh Node process with exactly the
// given environment: the handler the function configuration names ("index.handler": index.js, export
// handler), invoked once per event, in order. bundle.test.ts runs it against local stand-ins,
// test:aws against moto under the Node of the deployed runtime.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

export interface BundleInvocation {
  event: unknown;
  /** Lambda's request id; a new one per invocation when left out (a retry keeps its own: pass it). */
  requestId?: string;
}

/** What one invocation returned, or how it failed (the error's class name, message and stack). */
export interface InvokeResult<T> {
  ok: boolean;
  value?: T;
  name?: string;
  message?: string;
  stack?: string;
}

export interface RunBundleOptions {
  /** The unzipped code asset. */
  codeDir: string;
  /** The function configuration's Handler, `<file>.<export>`. */
  handler: string;
  env: Record<string, string>;
  /** The Node binary to run it with; this one when left out. */
  execPath?: string;
}

export interface BundleRun<T> {
  results: Array<InvokeResult<T>>;
  /** What the process wrote to stdout and stderr (logs, EMF metrics). */
  output: string;
}

export async function runBundle<T>(options: RunBundleOptions, invocations: BundleInvocation[]): Promise<BundleRun<T>> {
  const dot = options.handler.lastIndexOf('.');
  const bundle = path.join(options.codeDir, `${options.handler.slice(0, dot)}.js`);
  const child = fork(path.join(__dirname, 'invoke-bundle.cjs'), [bundle, options.handler.slice(dot + 1)], {
    env: options.env,
    execPath: options.execPath,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const results = await new Promise<Array<InvokeResult<T>>>((resolve, reject) => {
    child.once('message', (m: { results: Array<InvokeResult<T>> }) => resolve(m.results));
    child.once('exit', (code) => reject(new Error(`runner exited with ${code} before answering:\n${output}`)));
    child.send({
      invocations: invocations.map((i) => ({ event: i.event, requestId: i.requestId ?? `req-${randomUUID()}` })),
    });
  });
  await exited;
  return { results, output };
}
