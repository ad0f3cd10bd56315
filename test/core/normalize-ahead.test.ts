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

/** Five pages of three records, distinct numbers. */
const paged = (): NumberRecord[][] =>
  [0, 1, 2, 3, 4].map((p) =>
    [0, 1, 2].map((r) => ({
      id: `phn_${p}_${r}`,
      phone_number: `+1201555${p}${r}00`,
      status: r ? 'active' : 'Pending',
    })),
  );

it('reuses every page taken, whatever order the pages came in and whatever the listing dropped', () => {
  const pages = paged();
  const ahead = new AheadNormalizer();
  for (const page of [pages[3], pages[0], pages[4], pages[1], pages[2], pages[1]]) ahead.take(page);
  const taken = new Map(pages.flat().map((r, i) => [r, ahead.all(pages.flat())[i]]));
  // The listing drops a duplicate mid-page and a whole page, and adds a record no page had.
  const fresh: NumberRecord = { id: 'phn_new', phone_number: '+12015550199' };
  const listed = [...pages[0], pages[1][0], pages[1][2], ...pages[3], fresh, ...pages[4]];
  const out = ahead.all(listed);
  expect(out).toEqual(normalizeAll(listed));
  listed.forEach((r, i) => {
    if (r !== fresh) expect(out[i]).toBe(taken.get(r));
  });
});

it('keeps the numbers of the records as they were taken, even if the caller reuses its array', () => {
  const page = paged()[0];
  const ahead = new AheadNormalizer();
  ahead.take(page);
  const firstTaken = page[0];
  page[0] = { id: 'phn_other', phone_number: '+12015550999' };
  expect(ahead.all(page)).toEqual(normalizeAll(page));
  expect(ahead.all([firstTaken])).toEqual(normalizeAll([firstTaken]));
});
