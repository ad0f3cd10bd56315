// What the handler end-to-end tests share: its output kept instead of printed, and the handler
// loaded after the test has set its environment.

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
