// Builders for domain values, so each test states only the fields it is about.
import { auditNumbers } from '../../lambda/core/audit';
import type { ReportContext } from '../../lambda/core/report';
import type { PhoneNumber } from '../../lambda/core/types';

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
    ...overrides,
  };
}

/** Deterministic pseudo-random sequence (mulberry32), so generated sets are the same every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A report context around an audit of `numbers`; override any field. */
export function reportContext(numbers: PhoneNumber[], overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    workspaceName: 'Acme prod',
    generatedAt: new Date('2026-11-30T09:00:00Z'),
    timeZone: 'Europe/London',
    filters: {},
    complete: true,
    audit: auditNumbers(numbers),
    attachment: 'csv',
    onDemandHint: 'Run `npm run audit` locally, or invoke the function from the Lambda console.',
    ...overrides,
  };
}

/** `count` active numbers with no agent, numbered so their sort order is their index order. */
export function unroutedNumbers(count: number): PhoneNumber[] {
  return Array.from({ length: count }, (_, i) =>
    phone({ id: `phn_u${i}`, phoneNumber: `+1201555${String(i).padStart(4, '0')}`, inboundAgentId: null }),
  );
}
