// The five files of a run (--out DIR, and the demo's out/): the same report the email carries,
// plus audit.json and the exact MIME that was (or would have been) sent.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toAuditJson } from '../core/audit-json';
import type { AuditRun } from '../core/run-audit';
import { escapeJsonControls } from './sanitize';

export const OUTPUT_FILES = ['report.html', 'report.txt', 'numbers.csv', 'audit.json', 'email.eml'] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

export function auditJsonText(run: AuditRun): string {
  return `${escapeJsonControls(JSON.stringify(toAuditJson(run), null, 2))}\n`;
}

/**
 * Writes every file into `dir` (created if missing) and returns their absolute paths.
 * `redact` scrubs text files; email.eml stays byte-for-byte what was sent.
 */
export async function writeOutputs(
  dir: string,
  run: AuditRun,
  redact: (text: string) => string = (t) => t,
): Promise<Record<OutputFile, string>> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const contents: Record<OutputFile, string | Buffer> = {
    'report.html': redact(run.report.html),
    'report.txt': redact(run.report.text),
    'numbers.csv': redact(run.report.csv),
    'audit.json': redact(auditJsonText(run)),
    'email.eml': run.email.raw,
  };
  const paths = {} as Record<OutputFile, string>;
  for (const name of OUTPUT_FILES) {
    paths[name] = join(root, name);
    await writeFile(paths[name], contents[name]);
  }
  return paths;
}
