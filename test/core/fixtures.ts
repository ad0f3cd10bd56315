// Builders for domain values, so each test states only the fields it is about.
import { attributeCosts } from '../../lambda/core/attribution';
import { auditNumbers } from '../../lambda/core/audit';
import type { ReportContext } from '../../lambda/core/report';
import type { PhoneNumber } from '../../lambda/core/types';
import type { WorkspaceAudit, WorkspaceFailure } from '../../lambda/core/workspace';

export function phone(overrides: Partial<PhoneNumber> = {}): PhoneNumber {
  return {
    id: 'phn_1',
    phoneNumber: '+12015550100',
    countryCode: 'US',
    countrySource: 'api',
    type: 'local',
    typeInferred: false,
    status: 'active',
    inboundAgentId: 'agt_1',
    nickname: null,
    provider: 'twilio',
    createdAt: '2026-01-05T10:00:00Z',
    monthlyCostUsd: 1.15,
    costSource: 'api',
    ...overrides,
  };
}

/** An audited workspace holding `numbers`; override any field. */
export function workspace(numbers: PhoneNumber[], overrides: Partial<Omit<WorkspaceAudit, 'ok'>> = {}): WorkspaceAudit {
  return {
    ok: true,
    name: 'Acme prod',
    filters: {},
    complete: true,
    reportedTotal: numbers.length,
    stats: { pages: 1, requests: 1, retries: 0, rateLimited: 0, duplicatesDropped: 0, relisted: false, durationMs: 5 },
    numbers,
    audit: auditNumbers(numbers),
    baseline: { moves: true },
    ...overrides,
    attribution:
      overrides.attribution ?? attributeCosts(numbers, { agents: overrides.agents, agentList: [], folders: undefined }),
  };
}

export function failedWorkspace(
  name: string,
  code = 'AUTH_FORBIDDEN',
  message = 'The API key was refused (403). Check the key in Secrets Manager.',
): WorkspaceFailure {
  return { ok: false, name, error: { code, message } };
}

type WorkspaceFields = Partial<Omit<WorkspaceAudit, 'ok' | 'numbers'>>;
const WORKSPACE_KEYS = [
  'name',
  'filters',
  'complete',
  'incompleteReason',
  'reportedTotal',
  'stats',
  'audit',
  'agents',
  'changes',
  'attribution',
  'inventory',
] as const;

/**
 * A one-workspace report context around `numbers`. Overrides may mix context fields
 * (attachment, timeZone, ...) and that workspace's fields (name, complete, agents, changes, ...).
 */
export function reportContext(
  numbers: PhoneNumber[],
  overrides: Partial<ReportContext> & WorkspaceFields = {},
): ReportContext {
  const wsFields: WorkspaceFields = {};
  const ctxFields: Partial<ReportContext> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if ((WORKSPACE_KEYS as readonly string[]).includes(key)) (wsFields as Record<string, unknown>)[key] = value;
    else (ctxFields as Record<string, unknown>)[key] = value;
  }
  return {
    generatedAt: new Date('2026-11-30T09:00:00Z'),
    timeZone: 'Europe/London',
    workspaces: [workspace(numbers, wsFields)],
    attachment: 'csv',
    onDemandHint: 'Run `npm run audit` locally, or invoke the function from the Lambda console.',
    ...ctxFields,
  };
}

/** `count` active numbers with no agent, numbered so their sort order is their index order. */
export function unroutedNumbers(count: number): PhoneNumber[] {
  return Array.from({ length: count }, (_, i) =>
    phone({ id: `phn_u${i}`, phoneNumber: `+1201555${String(i).padStart(4, '0')}`, inboundAgentId: null }),
  );
}
