// What the end-to-end tests share: the handler's output kept instead of printed, the handler loaded
// after the test has set its environment, and a run's outcome read as the run the test expects.
import type { AuditRun } from '../../lambda/core/run-audit';
import type { WorkspaceAudit } from '../../lambda/core/workspace';

export type Handler = typeof import('../../lambda/handler/index').handler;

/** Everything written to stdout and stderr from now until `restore()`, in `text`. */
export interface CapturedOutput {
  readonly text: string;
  /** Forgets what was written so far. */
  clear(): void;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  let text = '';
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }),
  );
  return {
    get text() {
      return text;
    },
    clear() {
      text = '';
    },
    restore() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** The handler from a fresh module registry, so its settings are read from the current environment. */
export function loadHandler(): Handler {
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require('../../lambda/handler/index') as typeof import('../../lambda/handler/index')).handler;
  });
  if (handler === undefined) throw new Error('the handler did not load');
  return handler;
}

/** The outcome of a run the test expects to have run, not to be a duplicate of an earlier one. */
export function asRun<T extends { status: string }>(outcome: T): Exclude<T, { status: 'duplicate' }> {
  if (outcome.status === 'duplicate') throw new Error('expected a run, got a duplicate');
  return outcome as Exclude<T, { status: 'duplicate' }>;
}

/** The run's one workspace, which the test expects to have been audited. */
export function only(run: AuditRun): WorkspaceAudit {
  const [ws] = run.workspaces;
  if (!ws.ok) throw new Error(`workspace failed: ${ws.error.message}`);
  return ws;
}
