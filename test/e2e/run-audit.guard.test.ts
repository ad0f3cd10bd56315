// Hostile data and partial truths across runs: a listing that drops to zero or loses most of the
// baseline is reported loudly and does not become the baseline unless the operator confirms; a
// listing without a total is verified by a second one before it may; filters a server ignores
// are applied by us, and the report says so. Real parts: the simulator over HTTP, the run history
// in a temporary folder, the report renderers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxBaselineLoss, parseCliArgs } from '../../lambda/cli/args';
import { LocalArchive } from '../../lambda/adapters/archive/local-archive';
import { createDialNexaClient, type DialNexaClientOptions } from '../../lambda/adapters/dialnexa';
import { createReportEmailBuilder } from '../../lambda/adapters/email/report-email-builder';
import { createStaticKeySource } from '../../lambda/adapters/secrets/static-key-source';
import { toAuditJson } from '../../lambda/core/audit-json';
import { silentLogger } from '../../lambda/core/ports';
import { runAudit, type RunAuditOptions } from '../../lambda/core/run-audit';
import { parseEvent } from '../../lambda/handler/event';
import { generatePortfolio, startSimulator, type SimulatorOptions, type Simulator } from '../../simulator';
import { asRun, only } from './fixtures';

const noSleep = async () => undefined;
const portfolio = () => generatePortfolio({ seed: 21, size: 120, variants: 'mixed' });

/** A fetch that drops the totals from every page: a server that never says how many there are. */
const withoutTotals: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const body = (await res.json()) as { meta?: Record<string, unknown> };
  delete body.meta;
  return new Response(JSON.stringify(body), { status: res.status });
};

describe('the baseline guard, unverified listings and filters the API ignores', () => {
  let sim: Simulator;
  let dir: string;
  let archive: LocalArchive;
  let clock: Date;
  let clientOptions: Partial<DialNexaClientOptions>;

  const deps = () => ({
    emailBuilder: createReportEmailBuilder(),
    archive,
    now: () => clock,
    logger: silentLogger,
  });

  const options = (over: Partial<RunAuditOptions> = {}): RunAuditOptions => ({
    workspaces: [
      {
        name: 'Acme prod',
        lister: createDialNexaClient({
          baseUrl: sim.url,
          keySource: createStaticKeySource(sim.apiKey),
          sleep: noSleep,
          maxAttempts: 2,
          ...clientOptions,
        }),
      },
    ],
    runId: `run-${clock.getTime()}`,
    timeZone: 'Europe/London',
    from: 'reports@example.com',
    to: ['ops@example.com'],
    onDemandHint: 'npm run audit',
    dryRun: true,
    writeHistory: true,
    maxBaselineLoss: 0.5,
    ...over,
  });

  const restart = async (over: SimulatorOptions = {}) => {
    await sim.close();
    sim = await startSimulator({ numbers: portfolio(), ...over });
  };

  /** The baseline the next run compares with: its date. */
  const baselineDate = async () => {
    clock = new Date(clock.getTime() + 86_400_000);
    const ws = only(asRun(await runAudit(deps(), options())));
    return ws.changes?.status === 'compared' ? ws.changes.changes.previousGeneratedAt : ws.changes?.status;
  };

  beforeEach(async () => {
    sim = await startSimulator({ numbers: portfolio() });
    dir = await mkdtemp(join(tmpdir(), 'number-audit-guard-'));
    archive = new LocalArchive({ dir });
    clock = new Date('2026-11-23T09:00:00Z');
    clientOptions = {};
    asRun(await runAudit(deps(), options())); // last week's baseline: 120 numbers
    clock = new Date('2026-11-30T09:00:00Z');
  });

  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a listing that drops to zero loudly, still sends it, and keeps last week as the baseline', async () => {
    await restart({ numbers: [] }); // { data: [], meta: { total: 0 } }
    const run = asRun(await runAudit(deps(), options()));
    const ws = only(run);
    expect(ws.baselineGuard).toMatchObject({ status: 'held', missing: 120, baselineTotal: 120, listed: 0 });
    expect(run.report.subject).toMatch(/^\[VERIFY\] /);
    for (const part of [run.report.text, run.report.html]) {
      expect(part).toContain('120 numbers missing since last week - verify before acting');
    }
    expect(run.archived).toEqual([expect.objectContaining({ baseline: false })]);
    const json = toAuditJson(run);
    expect(json.baselineHeld).toBe(true);
    expect(json.workspaces[0]).toMatchObject({ baselineGuard: { status: 'held', missing: 120, rule: 'zero' } });

    await restart();
    expect(await baselineDate()).toBe('2026-11-23T09:00:00.000Z');
  });

  it('never moves the baseline when the history could not be read, even for an empty listing', async () => {
    await restart({ numbers: [] });
    const read = archive.readLatestSnapshot.bind(archive);
    archive.readLatestSnapshot = async () => {
      throw new Error('S3 timed out');
    };
    const run = asRun(await runAudit(deps(), options()));
    expect(only(run).baseline).toEqual({ moves: false, reason: 'history-unreadable' });
    expect(run.archived).toEqual([expect.objectContaining({ baseline: false })]);

    archive.readLatestSnapshot = read;
    await restart();
    expect(await baselineDate()).toBe('2026-11-23T09:00:00.000Z');
  });

  it('a confirmed loss in a one-off run says it does not become the baseline, and does not', async () => {
    await restart({ numbers: [] });
    const run = asRun(await runAudit(deps(), options({ confirmBaseline: true, moveBaseline: false })));
    expect(only(run).baseline).toEqual({ moves: false, reason: 'one-off' });
    expect(run.report.text).not.toContain('this run is the new baseline');
    expect(run.report.text).toContain('but this run does not become the baseline');
    expect(run.archived).toEqual([expect.objectContaining({ baseline: false })]);
  });

  it('holds the baseline when more than the configured share is lost, not when less is', async () => {
    const ids = sim.inventory().map((r) => r.id);
    sim.remove(...ids.slice(0, 66)); // 55% lost
    const held = asRun(await runAudit(deps(), options()));
    expect(only(held).baselineGuard).toMatchObject({ status: 'held', missing: 66, rule: 'share', maxLossShare: 0.5 });
    expect(held.report.text).toContain('66 numbers missing since last week - verify before acting');
    expect(held.archived).toEqual([expect.objectContaining({ baseline: false })]);

    clock = new Date('2026-12-01T09:00:00Z');
    const allowed = asRun(await runAudit(deps(), options({ maxBaselineLoss: 0.6 })));
    expect(only(allowed).baselineGuard).toBeUndefined();
    expect(allowed.report.subject).not.toMatch(/VERIFY/);
    expect(allowed.archived).toEqual([expect.objectContaining({ baseline: true })]);
  });

  it('moves the baseline when the operator confirms the loss, and says so', async () => {
    sim.remove(...sim.inventory().map((r) => r.id));
    const run = asRun(await runAudit(deps(), options({ confirmBaseline: true })));
    expect(only(run).baselineGuard).toMatchObject({ status: 'confirmed', missing: 120 });
    expect(run.report.subject).not.toMatch(/VERIFY/);
    expect(run.report.text).toMatch(/confirmed by the operator/i);
    expect(run.archived).toEqual([expect.objectContaining({ baseline: true })]);
    expect(await baselineDate()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('verifies a listing without a total by a second one before it may become the baseline', async () => {
    clientOptions = { fetch: withoutTotals };
    sim.remove(
      ...sim
        .inventory()
        .map((r) => r.id)
        .slice(0, 100),
    ); // short listing, no total
    sim.resetLog();
    const run = asRun(await runAudit(deps(), options()));
    const ws = only(run);
    expect(sim.requests.filter((r) => r.path === '/v1/organization-phone-numbers')).toHaveLength(2);
    expect(ws.unverified).toBeUndefined();
    expect(ws.baselineGuard).toMatchObject({ status: 'held', missing: 100 });
    expect(run.archived).toEqual([expect.objectContaining({ baseline: false })]);
  });

  it('calls a listing without a total "complete, unverified" when it could not move the baseline anyway', async () => {
    clientOptions = { fetch: withoutTotals };
    sim.resetLog();
    const run = asRun(await runAudit(deps(), options({ moveBaseline: false })));
    // One listing: page 1 (100 numbers) and the short page 2 that ends it.
    expect(sim.requests.filter((r) => r.path === '/v1/organization-phone-numbers')).toHaveLength(2);
    expect(run.complete).toBe(true);
    expect(only(run).unverified).toMatch(/no total/);
    expect(run.report.subject).toMatch(/120 total \(unverified\)/);
    expect(run.report.text).toMatch(/Count not verified:/);
    const json = toAuditJson(run);
    expect(json).toMatchObject({ complete: true, verified: false });
    expect(json.workspaces[0]).toMatchObject({ verified: false, unverifiedReason: expect.stringMatching(/no total/) });
    expect(run.archived).toEqual([expect.objectContaining({ baseline: false })]);
  });

  describe('filters', () => {
    const filters = { countryCode: 'IN' } as const;
    const expected = () =>
      portfolio().filter((r) => r.country_code === 'IN' || (!r.country_code && /^\+91/.test(r.phone_number)));

    it('says the API applied them when every record matches', async () => {
      const run = asRun(await runAudit(deps(), options({ filters })));
      expect(only(run).numbers.length).toBe(expected().length);
      expect(toAuditJson(run).filters).toEqual({ countryCode: 'IN', appliedBy: 'api' });
      expect(run.report.text).not.toMatch(/Filtered by this report/);
    });

    it('filters on our side, and says so, when the server ignores them', async () => {
      await restart({ ignoreFilters: true });
      const run = asRun(await runAudit(deps(), options({ filters })));
      const ws = only(run);
      expect(ws.numbers.every((n) => n.countryCode === 'IN')).toBe(true);
      expect(ws.numbers.map((n) => n.id).sort()).toEqual(
        expected()
          .map((r) => r.id)
          .sort(),
      );
      expect(run.combined.total).toBe(expected().length);
      const json = toAuditJson(run);
      expect(json.filters).toEqual({ countryCode: 'IN', appliedBy: 'client', leftOut: 120 - expected().length });
      expect(json.workspaces[0]).toMatchObject({ filters: { appliedBy: 'client' } });
      for (const part of [run.report.text, run.report.html]) expect(part).toContain('Filtered by this report');
      expect(
        run.report.csv
          .toString('utf8')
          .split('\r\n')
          .filter((l) => l.includes('+1')).length,
      ).toBe(0);
    });
  });

  describe('how the operator confirms', () => {
    it('the Lambda event takes confirmBaseline', () => {
      expect(parseEvent({ confirmBaseline: true }).confirmBaseline).toBe(true);
      expect(parseEvent({}).confirmBaseline).toBeUndefined();
    });

    it('the CLI takes --confirm-baseline and --baseline-guard-percent', () => {
      const parse = (...argv: string[]) => parseCliArgs(argv, { timeZone: 'Europe/London' });
      const confirmed = parse('--confirm-baseline');
      expect(confirmed.confirmBaseline).toBe(true);
      expect(maxBaselineLoss(confirmed)).toBe(0.5);
      const looser = parse('--baseline-guard-percent', '80');
      expect(looser.confirmBaseline).toBeUndefined();
      expect(maxBaselineLoss(looser)).toBe(0.8);
      expect(() => parse('--baseline-guard-percent', '150')).toThrow(/--baseline-guard-percent/);
    });
  });
});
