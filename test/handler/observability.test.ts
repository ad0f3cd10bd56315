// Powertools drops extra keys it reserves for itself ("message" among them): the error text of
// "workspace failed" and "audit failed" must still reach the log line.
import { logger } from '../../lambda/handler/observability';

function captureLines(log: () => void): Array<Record<string, unknown>> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  try {
    log();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the handler logger', () => {
  it('keeps an error text passed as "message" under errorMessage', () => {
    const lines = captureLines(() =>
      logger.error('workspace failed', { workspace: 'Acme', code: 'AUTH', message: 'DialNexa rejected the key' }),
    );
    const line = lines.find((l) => l.message === 'workspace failed');
    expect(line).toMatchObject({ workspace: 'Acme', code: 'AUTH', errorMessage: 'DialNexa rejected the key' });
    // No "reserved key" warning line either: nothing was dropped.
    expect(lines.some((l) => String(l.message).includes('reserved key'))).toBe(false);
  });

  it('renames every other reserved key rather than losing it', () => {
    const [line] = captureLines(() => logger.warn('odd', { level: 'L3', service: 'billing', timestamp: 't' }));
    expect(line).toMatchObject({ levelValue: 'L3', serviceValue: 'billing', timestampValue: 't', level: 'WARN' });
  });

  it('passes other keys through unchanged', () => {
    const [line] = captureLines(() => logger.info('audit finished', { total: 3, complete: true }));
    expect(line).toMatchObject({ message: 'audit finished', total: 3, complete: true });
  });
});
