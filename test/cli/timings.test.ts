// The CLI's --verbose timings: what `npm run bench` splits the end-to-end wall time with.
import { createRunTimings, PHASES } from '../../lambda/cli/timings';
import type { Listing } from '../../lambda/core/types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const listing = { records: [], reportedTotal: 0, complete: true } as unknown as Listing;

it('keeps the lister whole and counts its listing, the email and the write apart from compute', async () => {
  const t = createRunTimings();
  const lister = t.lister({
    listAll: async () => {
      await sleep(30);
      return listing;
    },
    listAgents: async () => [],
  });
  expect(typeof lister.listAgents).toBe('function');
  const builder = t.emailBuilder({
    build: async () => {
      await sleep(20);
      return {} as never;
    },
  });
  await t.audit(async () => {
    expect(await lister.listAll()).toBe(listing);
    await builder.build({} as never);
    await sleep(15);
  });
  await t.write(() => sleep(10));
  const line = t.line();
  const ms = (phase: string) => Number(new RegExp(`${phase.replace('/', '\\/')} (\\d+) ms`).exec(line)?.[1]);
  expect(line.startsWith('timings: ')).toBe(true);
  for (const phase of PHASES) expect(Number.isFinite(ms(phase))).toBe(true);
  expect(ms('listing')).toBeGreaterThanOrEqual(25);
  expect(ms('email')).toBeGreaterThanOrEqual(15);
  expect(ms('write')).toBeGreaterThanOrEqual(5);
  // What the audit spent outside the listing and the email counts as compute.
  expect(ms('normalize/audit/render')).toBeGreaterThanOrEqual(10);
  expect(Number(/total (\d+) ms/.exec(line)?.[1])).toBeGreaterThanOrEqual(ms('start-up') + 70);
});
