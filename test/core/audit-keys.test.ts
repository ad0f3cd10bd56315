// Tallies are keyed by whatever the API sends: prototype names must count like any other key.
import fc from 'fast-check';
import { auditNumbers, NO_STATUS, UNKNOWN_PROVIDER } from '../../lambda/core/audit';
import { normalizeNumber } from '../../lambda/core/normalize';
import { phone } from './fixtures';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const apiString = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 12 }));

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('auditNumbers: tallies keyed by API data', () => {
  it.each(PROTOTYPE_NAMES)('counts a status and a provider named %s', (name) => {
    const audit = auditNumbers([phone({ status: name, provider: name }), phone({ id: 'phn_2' })]);
    expect(Object.hasOwn(audit.byStatus, name)).toBe(true);
    expect(audit.byStatus[name]).toBe(1);
    expect(audit.byProvider[name]).toBe(1);
    expect(sum(audit.byStatus)).toBe(2);
    expect(JSON.parse(JSON.stringify(audit.byStatus))).toEqual({ active: 1, [name]: 1 });
  });

  it('adds up for arbitrary statuses, providers, countries and agent ids (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: apiString, provider: apiString, country: apiString, agent: apiString }), {
          maxLength: 40,
        }),
        (rows) => {
          const numbers = rows.map((r, i) =>
            normalizeNumber({
              id: `phn_${i}`,
              phone_number: '+12015550100',
              status: r.status,
              provider: r.provider,
              country_code: r.country,
              inbound_agent_id: r.agent,
            }),
          );
          const audit = auditNumbers(numbers);
          const distinct = (pick: (n: (typeof numbers)[number]) => string | null, none: string) =>
            new Set(numbers.map((n) => pick(n) ?? none)).size;
          return (
            sum(audit.byStatus) === numbers.length &&
            sum(audit.byProvider) === numbers.length &&
            sum(audit.byCountry) === numbers.length &&
            Object.keys(audit.byStatus).length === distinct((n) => n.status, NO_STATUS) &&
            Object.keys(audit.byProvider).length === distinct((n) => n.provider, UNKNOWN_PROVIDER) &&
            audit.unrouted.length ===
              numbers.filter((n) => n.inboundAgentId === null && (n.status === 'active' || n.status === null)).length
          );
        },
      ),
    );
  });
});
