// The five files of a run (--out DIR, and the demo's out/): the same report the email carries,
// plus audit.json and the exact MIME that was (or would have been) sent.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toAuditJson } from '../core/audit-json';
import type { AuditRun } from '../core/run-audit';
import { prettyJsonBytes } from '../core/pretty-json';
import { jsonBytes } from './sanitize';

export const OUTPUT_FILES = ['report.html', 'report.txt', 'numbers.csv', 'audit.json', 'email.eml'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** audit.json's bytes: what --json prints and the file holds. */
export function auditJsonBytes(run: AuditRun): Buffer {
  return jsonBytes(prettyJsonBytes(toAuditJson(run)));
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

/**
 * Writes every file into `dir` (created if missing), all at once, and returns their absolute
 * paths. `ready` holds contents already made (the CLI's audit.json, also printed by --json).
 */
export async function writeOutputs(
  dir: string,
  run: AuditRun,
  ready: Partial<Record<OutputFile, string | Uint8Array>> = {},
): Promise<Record<OutputFile, string>> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const paths = {} as Record<OutputFile, string>;
  for (const name of OUTPUT_FILES) paths[name] = join(root, name);
  await Promise.all(OUTPUT_FILES.map((name) => writeFile(paths[name], ready[name] ?? outputContent(name, run))));
  return paths;
}
