// The slice of a run kept as the baseline for next week's "changes": only the fields a change is
// detected on, so the file stays small and its schema stays stable.
import * as z from 'zod';
import { compareByCountryThenNumber } from './audit';
import { ALL_NUMBER_TYPES, type NumberType, type PhoneNumber } from './types';

export const SNAPSHOT_SCHEMA_VERSION = 1;
export const SNAPSHOT_FILE = 'snapshot.json';

export interface SnapshotNumber {
  id: string;
  phoneNumber: string;
  countryCode: string;
  type: NumberType;
  status: string | null;
  inboundAgentId: string | null;
  nickname: string | null;
}

export interface Snapshot {
  schemaVersion: 1;
  workspace: string;
  /** ISO 8601 instant. */
  generatedAt: string;
  complete: boolean;
  /** Sorted by country (`unknown` last), then number, then id. */
  numbers: SnapshotNumber[];
}

export type SnapshotParse = { ok: true; snapshot: Snapshot } | { ok: false; reason: string };

/** The fields of a number a change is detected on. */
export function toSnapshotNumber(n: PhoneNumber): SnapshotNumber {
  return {
    id: n.id,
    phoneNumber: n.phoneNumber,
    countryCode: n.countryCode,
    type: n.type,
    status: n.status,
    inboundAgentId: n.inboundAgentId,
    nickname: n.nickname,
  };
}

export function toSnapshot(
  workspace: string,
  generatedAt: Date,
  complete: boolean,
  numbers: readonly PhoneNumber[],
): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    workspace,
    generatedAt: generatedAt.toISOString(),
    complete,
    numbers: numbers.map(toSnapshotNumber).sort(compareByCountryThenNumber),
  };
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot)}\n`;
}

const numberSchema = z.object({
  id: z.string().min(1),
  phoneNumber: z.string().min(1),
  countryCode: z.string().min(1),
  type: z.enum(ALL_NUMBER_TYPES as [NumberType, ...NumberType[]]),
  status: z.string().nullable(),
  inboundAgentId: z.string().nullable(),
  nickname: z.string().nullable(),
});

const snapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  workspace: z.string(),
  generatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  complete: z.boolean(),
  numbers: z.array(numberSchema),
});

/**
 * Never throws: a bad baseline must only cost this week's "changes" section, so every failure
 * comes back as a reason short enough for one warning line in the report.
 */
export function parseSnapshot(text: string): SnapshotParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the previous snapshot is not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'the previous snapshot is not a JSON object' };
  }
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number') return { ok: false, reason: 'the previous snapshot has no schemaVersion' };
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    const age = version < SNAPSHOT_SCHEMA_VERSION ? 'an older' : 'a newer';
    return {
      ok: false,
      reason: `the previous snapshot uses ${age} schema (version ${version}; this version reads ${SNAPSHOT_SCHEMA_VERSION})`,
    };
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, reason: `the previous snapshot is malformed${where}: ${issue?.message ?? 'invalid'}` };
  }
  if (!parsed.data.complete) {
    return { ok: false, reason: 'the previous run was incomplete, so it is not used as a baseline' };
  }
  return { ok: true, snapshot: parsed.data as Snapshot };
}
