// The five files of a run (--out DIR, and the demo's out/): the same report the email carries,
// plus audit.json and the exact MIME that was (or would have been) sent.
import { close, mkdirSync, open, write } from 'node:fs';
import { join, resolve } from 'node:path';
import { toAuditJson } from '../core/audit-json';
import type { AuditRun } from '../core/run-audit';
import { prettyJsonBytes } from '../core/pretty-json';
import { jsonBytes } from './sanitize';

export const OUTPUT_FILES = ['report.html', 'report.txt', 'numbers.csv', 'audit.json', 'email.eml'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/**
 * audit.json's bytes per listed entry, pretty-printed four levels deep (a 20k-number run: ~250),
 * with room to spare: the writer's first buffer then holds the whole file, and it is never copied.
 */
const JSON_BYTES_PER_ENTRY = 320;
const JSON_BYTES_BESIDES = 1 << 20;

/** audit.json's bytes: what --json prints and the file holds. */
export function auditJsonBytes(run: AuditRun): Buffer {
  return jsonBytes(prettyJsonBytes(toAuditJson(run), auditJsonCapacity(run)));
}

/** Every list of numbers appears twice with one workspace (the run's figures are its figures). */
function auditJsonCapacity(run: AuditRun): number {
  let entries = 0;
  for (const ws of run.workspaces) {
    if (!ws.ok) continue;
    const { unrouted, notActive } = ws.audit;
    const missing = ws.agents?.status === 'checked' ? ws.agents.missing.length : 0;
    const idle = ws.usage?.status === 'checked' ? ws.usage.idle.length : 0;
    entries += unrouted.length + notActive.length + missing + idle;
  }
  return JSON_BYTES_BESIDES + 2 * entries * JSON_BYTES_PER_ENTRY;
}

/**
 * One file's content. Nothing here is scrubbed as a whole: the strings that came from DialNexa were
 * scrubbed of the key as they arrived (adapters/dialnexa/scrub.ts), and nothing of ours holds it.
 */
export function outputContent(name: OutputFile, run: AuditRun): string | Buffer {
  switch (name) {
    case 'report.html':
      return run.report.html;
    case 'report.txt':
      return run.report.text;
    case 'numbers.csv':
      return run.report.csv;
    case 'audit.json':
      return auditJsonBytes(run);
    case 'email.eml':
      return run.email.raw;
  }
}

/** Where writeOutputs puts the files. */
export type OutputPaths = Record<OutputFile, string>;

/**
 * Writes every file into `dir` (created if missing), all at once, and returns their absolute
 * paths. `ready` holds contents already made (the CLI's audit.json, also printed by --json).
 */
export async function writeOutputs(
  dir: string,
  run: AuditRun,
  ready: Partial<Record<OutputFile, string | Uint8Array>> = {},
): Promise<OutputPaths> {
  const files = startOutputs(dir, run, ready, OUTPUT_FILES);
  await files.written;
  return files.paths;
}

/**
 * Starts writing `names` into `dir` (created if missing) and returns at once: each file goes to
 * the thread pool in one write, so it is written while this thread makes the next one.
 */
export function startOutputs(
  dir: string,
  run: AuditRun,
  ready: Partial<Record<OutputFile, string | Uint8Array>>,
  names: readonly OutputFile[],
): { paths: OutputPaths; written: Promise<void> } {
  const root = resolve(dir);
  const paths = {} as OutputPaths;
  for (const name of OUTPUT_FILES) paths[name] = join(root, name);
  const started: Promise<void>[] = [];
  let written: Promise<void>;
  try {
    mkdirSync(root, { recursive: true });
    for (const name of names) started.push(writeWhole(paths[name], ready[name] ?? outputContent(name, run)));
    written = allWritten(started);
  } catch (error) {
    // The files already started end first; the failure reported is this one.
    written = failAfter(started, error);
  }
  // Awaited by the caller once its next file is made; a failure before that is no unhandled rejection.
  written.catch(() => undefined);
  return { paths, written };
}

/** Fails with `error` once every write already started has ended. */
export async function failAfter(writes: ReadonlyArray<Promise<void> | undefined>, error: unknown): Promise<never> {
  await Promise.allSettled(writes);
  throw error;
}

/** Resolves once every write has ended, failed or not; then fails with the first failure, if any. */
export async function allWritten(writes: ReadonlyArray<Promise<void> | undefined>): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Like fs/promises writeFile, but written in one call once opened: writeFile writes 512 KiB at a
 * time, each next part waiting for a turn of this thread. The open is the thread pool's too: it
 * truncates the file a rerun into the same folder left there, which for a 10 MB audit.json takes
 * milliseconds this thread has better use for.
 */
function writeWhole(file: string, content: string | Uint8Array): Promise<void> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return new Promise<void>((done, fail) => {
    // As writeFile: one file that cannot be opened fails the run, and the others are still written.
    open(file, 'w', (openError, fd) => {
      if (openError) {
        fail(openError);
        return;
      }
      const finish = (error: Error | null) =>
        close(fd, (closeError) => {
          const failure = error ?? closeError;
          if (failure) fail(failure);
          else done();
        });
      const from = (at: number) =>
        write(fd, bytes, at, bytes.byteLength - at, null, (error, wrote) => {
          if (error) finish(error);
          else if (at + wrote < bytes.byteLength) from(at + wrote);
          else finish(null);
        });
      from(0);
    });
  });
}
