// normalizeAhead lets the client normalize each page while later pages are in flight; what
// normalizeAll then returns must be what it would have computed itself.
import { normalizeAhead, normalizeAll } from '../../lambda/core/normalize';
import type { NumberRecord } from '../../lambda/core/types';

const records = (): NumberRecord[] => [
  { id: 'phn_1', phone_number: '+12015550123', country_code: 'us', type: 'Local', status: 'ACTIVE' },
  { id: 'phn_2', phone_number: '0044 20 7183 8750', nickname: ' Sales\u0007 line ', monthly_cost_usd: '1.50' },
  { id: 'phn_3', phone_number: '+447911123456', inbound_agent_id: 'agt_9', rental_status: 'expired' },
];

it('gives the same numbers whether or not they were normalized ahead', () => {
  const cold = normalizeAll(records());
  const warmRecords = records();
  normalizeAhead(warmRecords);
  expect(normalizeAll(warmRecords)).toEqual(cold);
  expect(cold.map((n) => n.countryCode)).toEqual(['US', 'GB', 'GB']);
});

it('hands each number normalized ahead out once; a second normalizeAll builds new objects', () => {
  const list = records();
  normalizeAhead(list);
  const first = normalizeAll(list);
  const second = normalizeAll(list);
  expect(second).toEqual(first);
  for (let i = 0; i < list.length; i++) expect(second[i]).not.toBe(first[i]);
});

it('covers only the records it was given', () => {
  const list = records();
  normalizeAhead(list.slice(0, 1));
  const out = normalizeAll(list);
  expect(out.map((n) => n.id)).toEqual(['phn_1', 'phn_2', 'phn_3']);
  expect(out[1].nickname).toBe('Sales  line');
});
