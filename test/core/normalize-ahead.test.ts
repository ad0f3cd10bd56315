// AheadNormalizer lets a run normalize each page while later pages are in flight; what `all` then
// returns must be what normalizeAll would have computed itself.
import { AheadNormalizer, normalizeAll } from '../../lambda/core/normalize';
import type { NumberRecord } from '../../lambda/core/types';

const records = (): NumberRecord[] => [
  { id: 'phn_1', phone_number: '+12015550123', country_code: 'us', type: 'Local', status: 'ACTIVE' },
  { id: 'phn_2', phone_number: '0044 20 7183 8750', nickname: ' Sales\u0007 line ', monthly_cost_usd: '1.50' },
  { id: 'phn_3', phone_number: '+447911123456', inbound_agent_id: 'agt_9', rental_status: 'expired' },
];

it('gives the same numbers whether or not they were normalized ahead', () => {
  const cold = normalizeAll(records());
  const warmRecords = records();
  const ahead = new AheadNormalizer();
  ahead.take(warmRecords);
  expect(ahead.all(warmRecords)).toEqual(cold);
  expect(cold.map((n) => n.countryCode)).toEqual(['US', 'GB', 'GB']);
});

it('uses the work done ahead, and is scoped to its run: another normalizer shares nothing', () => {
  const list = records();
  const ahead = new AheadNormalizer();
  ahead.take(list);
  const first = ahead.all(list);
  expect(ahead.all(list)[0]).toBe(first[0]);
  expect(new AheadNormalizer().all(list)[0]).not.toBe(first[0]);
  expect(normalizeAll(list)[0]).not.toBe(first[0]);
});

it('normalizes the records it was not given (a re-list builds new ones) when asked', () => {
  const list = records();
  const ahead = new AheadNormalizer();
  ahead.take(list.slice(0, 1));
  const out = ahead.all(list);
  expect(out.map((n) => n.id)).toEqual(['phn_1', 'phn_2', 'phn_3']);
  expect(out[1].nickname).toBe('Sales  line');
});
