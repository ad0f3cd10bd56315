// The run event's detail: built from any portfolio it matches the documented schema (the committed
// docs/run-event.schema.json is the handler's schema, generated) and carries counts and names only,
// never a phone number, an API text or an error message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { auditNumbers } from '../../lambda/core/audit';
import type { AuditRun } from '../../lambda/core/run-audit';
import { DEFAULT_ACTION_TRIGGERS, type PhoneNumber } from '../../lambda/core/types';
import type { WorkspaceOutcome } from '../../lambda/core/workspace';
import { failedRunEvent, runEvent, runEventDetailSchema, runEventJsonSchema } from '../../lambda/handler/run-event';
import { failedWorkspace, phone, workspace } from '../core/fixtures';

const ROOT = path.join(__dirname, '..', '..');
/** API texts that must never reach the bus. */
const MARK = 'LEAK';

const number = fc
  .record({
    digits: fc.stringMatching(/^[2-9]\d{9}$/),
    country: fc.constantFrom('US', 'GB', 'IN'),
    type: fc.constantFrom('local', 'toll_free', 'mobile') as fc.Arbitrary<PhoneNumber['type']>,
    status: fc.constantFrom('active', 'inactive', null),
    agent: fc.option(fc.constantFrom('agt_1', 'agt_gone')),
    cost: fc.option(fc.double({ min: 0, max: 50, noNaN: true })),
  })
  .map(
    (r): PhoneNumber =>
      phone({
        id: `phn_${r.digits}`,
        phoneNumber: `+1${r.digits}`,
        countryCode: r.country,
        type: r.type,
        status: r.status,
        inboundAgentId: r.agent,
        nickname: `${MARK} nickname ${r.digits}`,
        provider: `${MARK} provider`,
        monthlyCostUsd: r.cost,
        costSource: r.cost === null ? null : 'api',
      } as Partial<PhoneNumber>),
  );

const outcome = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(number, { maxLength: 30 }), fc.boolean(), fc.boolean()) },
  { weight: 1, arbitrary: fc.constant(null) },
);

function auditRun(outcomes: WorkspaceOutcome[], archived: AuditRun['archived']): AuditRun {
  const numbers = outcomes.flatMap((w) => (w.ok ? w.numbers : []));
  return {
    status: 'sent',
    runId: 'req-1',
    generatedAt: new Date('2026-11-30T03:31:00Z'),
    filters: {},
    workspaces: outcomes,
    combined: auditNumbers(numbers),
    complete: outcomes.every((w) => w.ok && w.complete),
    failedWorkspaces: outcomes.filter((w) => !w.ok).length,
    dryRun: false,
    archived,
    archiveFailures: 0,
    warnings: [],
  } as unknown as AuditRun;
}

it('the documented JSON Schema is the one the events are built against (npx tsx scripts/run-event-schema.ts)', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'run-event.schema.json'), 'utf8'));
  expect(committed).toEqual(runEventJsonSchema());
});

it('for any portfolio the detail matches the schema and carries no phone number or API text', () => {
  fc.assert(
    fc.property(fc.array(outcome, { minLength: 1, maxLength: 4 }), (specs) => {
      const outcomes: WorkspaceOutcome[] = specs.map((spec, i) => {
        const name = `Workspace ${i}`;
        if (spec === null) return failedWorkspace(name, 'AUTH_FORBIDDEN', `${MARK}: the API said {"error":"x"}`);
        const [numbers, complete, checked] = spec;
        const missing = numbers.filter((n) => n.inboundAgentId === 'agt_gone');
        return workspace(numbers, {
          name,
          complete,
          audit: auditNumbers(numbers),
          agents: checked ? { status: 'checked', agentCount: 1, names: { agt_1: 'Reception' }, missing } : undefined,
        });
      });
      const archived = outcomes
        .filter((w) => w.ok)
        .map((w) => ({ workspace: w.name, location: `s3://bucket/reports/${w.name}/run/`, baseline: true }));
      const run = auditRun(outcomes, archived);
      const event = runEvent(run, { scheduledTime: '2026-11-30T03:30:00Z' }, DEFAULT_ACTION_TRIGGERS);
      const detail = runEventDetailSchema.parse(event.detail);
      const text = JSON.stringify(event.detail);
      expect(text).not.toContain(MARK);
      for (const n of outcomes.flatMap((w) => (w.ok ? w.numbers : []))) {
        expect(text).not.toContain(n.phoneNumber.slice(2));
        expect(text).not.toContain(n.id);
      }
      if (detail.status === 'failed') throw new Error('a sent run is never "failed"');
      expect(detail.total).toBe(run.combined.total);
      expect(event.detailType).toBe(run.complete ? 'Number Audit Completed' : 'Number Audit Incomplete');
      expect(detail.actionNeeded).toBe(detail.triggers.length > 0);
      expect(detail.idleCount).toBeNull();
    }),
  );
});

it('a failed run carries the error class and code, and a scheduled time only when it is a time', () => {
  const event = failedRunEvent('req-9', { scheduledTime: 'not a time +12015550100' }, { errorType: 'DeliveryError' });
  expect(event).toEqual({
    detailType: 'Number Audit Failed',
    detail: {
      schemaVersion: 1,
      status: 'failed',
      runId: 'req-9',
      scheduledTime: null,
      errorType: 'DeliveryError',
      errorCode: null,
    },
  });
  expect(runEventDetailSchema.safeParse(event.detail).success).toBe(true);
});
