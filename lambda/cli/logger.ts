// The CLI's Logger: warnings always, the rest only with --verbose; all on stderr, one line each.
// Errors too wait for --verbose: a failing run ends with its own one-line message, and the core's
// "workspace failed" log line would only say it twice.
import type { Logger } from '../core/ports';
import { oneLine, stripControls } from './sanitize';

export interface CliLoggerOptions {
  /** Warnings the CLI states itself at the end of the run, so they are not said twice. */
  saidLater?: (message: string) => boolean;
}

export function createCliLogger(
  writeLine: (line: string) => void,
  verbose: boolean,
  { saidLater }: CliLoggerOptions = {},
): Logger {
  const emit = (level: string, message: string, extra?: Record<string, unknown>) => {
    const details = extra && Object.keys(extra).length ? ` ${safeJson(extra)}` : '';
    writeLine(stripControls(`number-audit: ${level}: ${message}${details}`));
  };
  return {
    debug: (m, e) => verbose && emit('debug', m, e),
    info: (m, e) => verbose && emit('info', m, e),
    warn: (m, e) => {
      if (saidLater?.(m)) return;
      if (verbose) return emit('warning', m, e);
      // Without --verbose a warning still says why (the reason, else the error's message).
      const why = e?.reason ?? e?.message ?? e?.error;
      emit('warning', typeof why === 'string' && why ? `${m}: ${oneLine(why)}` : m);
    },
    error: (m, e) => verbose && emit('error', m, e),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v));
  } catch {
    return '[unprintable]';
  }
}
