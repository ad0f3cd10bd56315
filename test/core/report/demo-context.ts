// The demo workspace (scripts/demo-portfolio.ts) audited in-process, as `npm run demo` audits it
// over HTTP: last week's run is the baseline, today's inventory the audit. No server involved.
import { toNumberRecord } from '../../../lambda/adapters/dialnexa/schema';
import { checkAgents } from '../../../lambda/core/agents';
import { attributeCosts } from '../../../lambda/core/attribution';
import { auditNumbers } from '../../../lambda/core/audit';
import { diffSnapshots } from '../../../lambda/core/changes';
import { normalizeAll } from '../../../lambda/core/normalize';
import type { ReportContext } from '../../../lambda/core/report';
import { toSnapshot } from '../../../lambda/core/snapshot';
import type { NumberRecord, PhoneNumber } from '../../../lambda/core/types';
import type { WorkspaceAudit } from '../../../lambda/core/workspace';
import { DEMO_WORKSPACE_NAME, demoWorkspace } from '../../../scripts/demo-portfolio';
import type { SimRecord } from '../../../simulator';

const GENERATED_AT = new Date('2026-11-30T09:00:00Z');
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

function normalize(records: readonly SimRecord[]): PhoneNumber[] {
  return normalizeAll(
    records.map((raw): NumberRecord => {
      const parsed = toNumberRecord(raw);
      if (!parsed.ok) throw new Error(`demo record ${parsed.id} is invalid: ${parsed.problem}`);
      return parsed.record;
    }),
  );
}

/** The demo's audited workspace: changes since last week, agents checked. */
export function demoAudit(): WorkspaceAudit {
  const demo = demoWorkspace();
  const numbers = normalize(demo.numbers);
  const lastWeek = toSnapshot(
    DEMO_WORKSPACE_NAME,
    new Date(GENERATED_AT.getTime() - WEEK_MS),
    true,
    normalize(demo.lastWeek),
  );
  const agents = demo.agents.map((a) => ({ id: a.id, name: a.current_version.title.trim() || null }));
  return {
    ok: true,
    name: DEMO_WORKSPACE_NAME,
    filters: {},
    complete: true,
    baseline: { moves: true },
    reportedTotal: numbers.length,
    stats: {
      pages: 13,
      requests: 13,
      retries: 0,
      rateLimited: 0,
      duplicatesDropped: 0,
      relisted: false,
      durationMs: 5,
    },
    numbers,
    audit: auditNumbers(numbers),
    agents: checkAgents(numbers, agents),
    attribution: attributeCosts(numbers, {
      agents: checkAgents(numbers, agents),
      agentList: demo.agents.map((a) => ({
        id: a.id,
        name: a.current_version.title,
        folderId: typeof a.folder_id === 'string' ? a.folder_id : null,
      })),
      folders: { status: 'read', folders: demo.folders },
    }),
    changes: { status: 'compared', changes: diffSnapshots(lastWeek, numbers) },
  };
}

/** The report context of the demo's email. */
export function demoContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    generatedAt: GENERATED_AT,
    timeZone: 'UTC',
    workspaces: [demoAudit()],
    attachment: 'csv',
    onDemandHint: 'Run this audit on your own workspace from a terminal: npm run --silent audit -- --help',
    ...overrides,
  };
}
