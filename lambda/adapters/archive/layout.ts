// Where things live in the history store (same layout in S3 and on disk):
//   reports/<workspace-slug>/<yyyy>/<mm>/<dd>/<run-id>/<file>   one folder per run (UTC date)
//   latest/<workspace-slug>.json                               pointer to the latest complete run
//   idempotency/<key>.json                                     one record per scheduled run
//   inventory/<workspace-slug>.csv                             the internal inventory (operators write it; read-only)
//   config/workspaces.json                                     fan-out: the agency's workspace registry
//   summaries/<run-key>/<workspace-slug>.json|.csv             fan-out: one client's result for the roll-up
//   checkpoints/<run-key>/<workspace-slug>.json and /<n>.json  fan-out: a long listing's progress and pages
//   runs/<run-key>/registry.json                               fan-out: the registry one run works from
import { createHash } from 'node:crypto';
import { assertIdempotencyKey } from '../../core/idempotency';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The store's top-level folders, and the only places the function may read or write: the stack
 * grants exactly these prefixes and expires reports/ and idempotency/ by them (lib/history-bucket.ts).
 */
export const ARCHIVE_PREFIXES = {
  /** reports/<workspace>/<yyyy>/<mm>/<dd>/<run-id>/: one folder per run, written once. */
  reports: 'reports/',
  /** latest/<workspace>.json: the latest complete run, replaced by a conditional write. */
  latest: 'latest/',
  /** idempotency/<key>.json: one claim per schedule time (one email per scheduled run). */
  idempotency: 'idempotency/',
} as const;

/**
 * Lower-case [a-z0-9-]: safe as an S3 prefix and a folder name. A name with no Latin letters or
 * digits at all gets a stable hash instead, so two such workspaces never share a history.
 */
export function workspaceSlug(workspace: string): string {
  if (workspace.trim() === '') throw new Error('workspace name is empty');
  const slug = workspace
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug !== '' ? slug : `workspace-${createHash('sha256').update(workspace).digest('hex').slice(0, 12)}`;
}

function assertSafeName(what: string, name: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..')) {
    throw new Error(`${what} "${name.slice(0, 40)}" must be 1-128 characters of A-Z, a-z, 0-9, ., _ or - (no "..")`);
  }
}

export function runPrefix(workspace: string, date: Date, runId: string): string {
  assertSafeName('run id', runId);
  if (Number.isNaN(date.getTime())) throw new Error('run date is not a valid date');
  const [yyyy, mm, dd] = date.toISOString().slice(0, 10).split('-');
  return `${workspaceRunsPrefix(workspace)}${yyyy}/${mm}/${dd}/${runId}/`;
}

export function runFileKey(prefix: string, file: string): string {
  assertSafeName('file name', file);
  return `${prefix}${file}`;
}

/** True when `prefix` is a run folder of this workspace (guards against a tampered pointer). */
export function isRunPrefixOf(workspace: string, prefix: string): boolean {
  const slug = workspaceSlug(workspace);
  if (!prefix.startsWith(ARCHIVE_PREFIXES.reports)) return false;
  const m = /^([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/([^/]+)\/$/.exec(prefix.slice(ARCHIVE_PREFIXES.reports.length));
  if (m === null) return false;
  const [, folder, runId] = m;
  return folder === slug && SAFE_NAME.test(runId) && !runId.includes('..');
}

/** Operators upload each workspace's inventory here; the function may only read it, never expires it. */
export const INVENTORY_PREFIX = 'inventory/';

export function inventoryKey(workspace: string): string {
  return `${INVENTORY_PREFIX}${workspaceSlug(workspace)}.csv`;
}

/** reports/<workspace-slug>/: every run folder of the workspace. */
export function workspaceRunsPrefix(workspace: string): string {
  return `${ARCHIVE_PREFIXES.reports}${workspaceSlug(workspace)}/`;
}

export function latestPointerKey(workspace: string): string {
  return `${ARCHIVE_PREFIXES.latest}${workspaceSlug(workspace)}.json`;
}

export function idempotencyRecordKey(key: string): string {
  assertIdempotencyKey(key);
  return `${ARCHIVE_PREFIXES.idempotency}${key}.json`;
}

/** Fan-out only: the registry the plan step reads, and what the workspace tasks leave for the roll-up. */
export const FAN_OUT_KEYS = {
  /** The agency's clients, written by the operator; the functions only read it. */
  registry: 'config/workspaces.json',
  /** summaries/<run-key>/<slug>.json and .csv: written by a workspace task, read by the roll-up. */
  summaries: 'summaries/',
  /** checkpoints/<run-key>/<slug>.json: a listing that continues in the next invocation. */
  checkpoints: 'checkpoints/',
  /** runs/<run-key>/registry.json: the registry as the plan step checked it, for every task of the run. */
  runs: 'runs/',
} as const;

/** The run's own copy of the registry: every task reads the same entries, however the registry changes meanwhile. */
export function runRegistryKey(runKey: string): string {
  assertIdempotencyKey(runKey);
  return `${FAN_OUT_KEYS.runs}${runKey}/registry.json`;
}

/** The run key names a folder: the idempotency key rules (letters, digits, _ and -). */
export function runSummariesPrefix(runKey: string): string {
  assertIdempotencyKey(runKey);
  return `${FAN_OUT_KEYS.summaries}${runKey}/`;
}

export function summaryKey(runKey: string, workspace: string, ext: 'json' | 'csv'): string {
  return `${runSummariesPrefix(runKey)}${workspaceSlug(workspace)}.${ext}`;
}

export function checkpointKey(runKey: string, workspace: string): string {
  assertIdempotencyKey(runKey);
  return `${FAN_OUT_KEYS.checkpoints}${runKey}/${workspaceSlug(workspace)}.json`;
}

/** The pages one invocation fetched: checkpoints/<run-key>/<slug>/<pass>-<n>.json, written once. */
export function checkpointPagesKey(runKey: string, workspace: string, pass: number, n: number): string {
  assertIdempotencyKey(runKey);
  return `${FAN_OUT_KEYS.checkpoints}${runKey}/${workspaceSlug(workspace)}/${pass}-${n}.json`;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  eml: 'message/rfc822',
  gz: 'application/gzip',
};

export function contentTypeFor(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
