// runAudit across runs: history and changes, agent checks, rate-card costs, several workspaces
// and one email per scheduled run. Real parts: the DialNexa simulator over HTTP, the SES emulator,
// and the run history in a temporary folder (the same layout the S3 bucket uses).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import { LocalArchive } from '../../lambda/adapters/archive/local-archive';
import { createDialNexaClient } from '../../lambda/adapters/dialnexa';
import { createReportEmailBuilder } from '../../lambda/adapters/email/report-email-builder';
import { createStaticKeySource } from '../../lambda/adapters/secrets/static-key-source';
import { createSesClient, SesRawMailer } from '../../lambda/adapters/ses/ses-mailer';
import { toAuditJson } from '../../lambda/core/audit-json';
import {
  AllWorkspacesFailedError,
  ApiError,
  DeliveryError,
  DeliveryUncertainError,
  RunInProgressError,
} from '../../lambda/core/errors';
import { parseRateCard } from '../../lambda/core/rate-card';
import { serializeSnapshot, toSnapshot } from '../../lambda/core/snapshot';
import { runAudit, type RunAuditOptions } from '../../lambda/core/run-audit';
import { silentLogger, type RawMailer, type WorkspaceSpec } from '../../lambda/core/ports';
import { generateAgents, generatePortfolio, startSimulator, type SimRecord, type Simulator } from '../../simulator';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { asRun, only } from './fixtures';

const FROM = 'reports@example.com';
const TO = ['ops@example.com'];
const noSleep = async () => undefined;

function lister(sim: Simulator, key = sim.apiKey): WorkspaceSpec['lister'] {
  return createDialNexaClient({
    baseUrl: sim.url,
    keySource: createStaticKeySource(key),
    sleep: noSleep,
    maxAttempts: 2,
  });
}

const ids = (list: Array<{ id: string }>) => list.map((n) => n.id).sort();

function agentOf(r: SimRecord): string | null {
  for (const field of ['inbound_agent_id', 'agent_id'] as const) {
    const v = r[field];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

const isActive = (r: SimRecord) =>
  (r.status === undefined || r.status === 'active') && (r.rental_status === undefined || r.rental_status === 'active');

describe('runAudit with history, agents, costs, workspaces and idempotency', () => {
  const agents = generateAgents(3, 6);
  let sim: Simulator;
  let ses: SesLocal;
  let dir: string;
  let archive: LocalArchive;
  let mailer: SesRawMailer;
  let clock: Date;

  const deps = (overrides: { mailer?: RawMailer } = {}) => ({
    emailBuilder: createReportEmailBuilder(),
    mailer: overrides.mailer ?? mailer,
    archive,
    idempotency: archive,
    now: () => clock,
    logger: silentLogger,
  });

  const options = (over: Partial<RunAuditOptions> = {}): RunAuditOptions => ({
    workspaces: [{ name: 'Acme prod', lister: lister(sim) }],
    runId: `run-${clock.getTime()}`,
    timeZone: 'Europe/London',
    from: FROM,
    to: TO,
    onDemandHint: 'npm run audit',
    writeHistory: true,
    ...over,
  });

  beforeAll(async () => {
    ses = await startSesLocal();
    mailer = new SesRawMailer({
      client: new SESClient({ endpoint: ses.endpoint, region: 'eu-west-1', maxAttempts: 1 }),
    });
  });

  afterAll(async () => {
    await ses.close();
  });

  beforeEach(async () => {
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 11, size: 240, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
      keys: { full_key: 'full', no_agents_key: 'no-agents', no_numbers_key: 'no-phone-numbers' },
    });
    dir = await mkdtemp(join(tmpdir(), 'number-audit-history-'));
    archive = new LocalArchive({ dir });
    clock = new Date('2026-11-23T09:00:00Z');
    await ses.clear();
  });

  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says so on the first run, then lists exactly what changed by the next one', async () => {
    const first = only(asRun(await runAudit(deps(), options())));
    expect(first.changes).toEqual({ status: 'first-run' });

    const inventory = sim.inventory();
    const routed = inventory.filter((r) => isActive(r) && agentOf(r) !== null);
    const unrouted = inventory.filter((r) => isActive(r) && agentOf(r) === null);
    const [rerouted, toUnroute, toRemove] = routed;
    const [toFix] = unrouted;
    const newAgent = agents.find((a) => a.id !== agentOf(rerouted))!.id;
    sim.update(rerouted.id, { inbound_agent_id: newAgent, agent_id: undefined });
    sim.update(toUnroute.id, { inbound_agent_id: null, agent_id: undefined });
    sim.update(toFix.id, { inbound_agent_id: agents[0].id, agent_id: undefined });
    sim.remove(toRemove.id);
    const added = [
      {
        id: 'phn_new_routed',
        phone_number: '+919812345670',
        country_code: 'IN',
        type: 'mobile',
        status: 'active',
        inbound_agent_id: agents[1].id,
      },
      {
        id: 'phn_new_unrouted',
        phone_number: '+14155550142',
        country_code: 'US',
        type: 'local',
        status: 'active',
        inbound_agent_id: null,
      },
    ];
    sim.add(...added);

    clock = new Date('2026-11-30T09:00:00Z');
    const run = asRun(await runAudit(deps(), options()));
    const second = only(run);
    if (second.changes?.status !== 'compared') throw new Error(`expected compared, got ${second.changes?.status}`);
    const c = second.changes.changes;
    expect(c.previousGeneratedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(ids(c.added)).toEqual(['phn_new_routed', 'phn_new_unrouted']);
    expect(ids(c.removed)).toEqual([toRemove.id]);
    expect(ids(c.routingChanged)).toEqual([rerouted.id, toUnroute.id, toFix.id].sort());
    expect(c.routingChanged.find((r) => r.id === rerouted.id)).toMatchObject({ from: agentOf(rerouted), to: newAgent });
    expect(c.routingChanged.find((r) => r.id === toUnroute.id)).toMatchObject({ from: agentOf(toUnroute), to: null });
    expect(ids(c.newlyUnrouted)).toEqual([toUnroute.id]);
    expect(ids(c.newlyFixed)).toEqual([toFix.id]);
    expect(c.statusChanged).toEqual([]);
    const removedCountry = first.numbers.find((n) => n.id === toRemove.id)!.countryCode;
    const expectedDelta: Record<string, number> = {};
    for (const [cc, d] of [
      ['IN', 1],
      ['US', 1],
      [removedCountry, -1],
    ] as const)
      expectedDelta[cc] = (expectedDelta[cc] ?? 0) + d;
    for (const k of Object.keys(expectedDelta)) if (expectedDelta[k] === 0) delete expectedDelta[k];
    expect(c.countDelta.byCountry).toEqual(expectedDelta);
    // The snapshot this run archived was drafted for the comparison: with its head, it is the whole file.
    const archived = await archive.readLatestSnapshot('Acme prod');
    expect(archived?.ok && archived.bytes.toString('utf8')).toBe(
      serializeSnapshot(toSnapshot('Acme prod', clock, true, second.numbers)),
    );

    // The email leads with the changes and a removed number asks for action.
    const json = toAuditJson(run);
    expect(json.changes?.added.map((n) => n.id).sort()).toEqual(['phn_new_routed', 'phn_new_unrouted']);
    expect(run.report.subject).toMatch(/^\[Action needed\]/);
    expect(run.report.text).toMatch(/CHANGES SINCE MON 23 NOV 2026/);
    expect(run.report.html.indexOf('Changes since')).toBeGreaterThan(-1);
    // After the findings to act on, before the breakdowns.
    expect(run.report.html.indexOf('Changes since')).toBeGreaterThan(run.report.html.indexOf('Unrouted numbers'));
    expect(run.report.html.indexOf('Changes since')).toBeLessThan(
      run.report.html.indexOf('Numbers by country and type'),
    );
  });

  it('writes nothing to the run history when SES refuses the email, though its files render alongside the send', async () => {
    const refusing: RawMailer = {
      sendRaw: async () => {
        throw new DeliveryError('SES rejected the message: Email address is not verified');
      },
    };
    await expect(runAudit(deps({ mailer: refusing }), options())).rejects.toBeInstanceOf(DeliveryError);
    expect(await readdir(dir)).toEqual([]);
    expect(only(asRun(await runAudit(deps(), options()))).changes).toEqual({ status: 'first-run' });
  });

  it('skips a corrupt previous snapshot with a warning instead of failing', async () => {
    asRun(await runAudit(deps(), options()));
    const snapshots: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name === 'snapshot.json') snapshots.push(p);
      }
    };
    await walk(join(dir, 'reports'));
    expect(snapshots).toHaveLength(1);
    await writeFile(snapshots[0], '{"schemaVersion": 1, "numbers": [tru');

    clock = new Date('2026-11-30T09:00:00Z');
    const run = asRun(await runAudit(deps(), options()));
    const ws = only(run);
    expect(ws.changes?.status).toBe('skipped');
    expect(ws.changes?.status === 'skipped' && ws.changes.reason).toMatch(/could not be used/);
    expect(run.report.text).toMatch(/could not be used/);
    expect((await ses.emails()).length).toBe(2);
  });

  it('leaves the baseline alone for a run that may not move it (a console test sent to oneself)', async () => {
    asRun(await runAudit(deps(), options()));
    clock = new Date('2026-11-26T09:00:00Z');
    const test = asRun(await runAudit(deps(), options({ moveBaseline: false, to: ['me@example.com'] })));
    expect(test.archived).toEqual([expect.objectContaining({ baseline: false })]);
    clock = new Date('2026-11-30T09:00:00Z');
    const next = only(asRun(await runAudit(deps(), options())));
    expect(next.changes?.status === 'compared' && next.changes.changes.previousGeneratedAt).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('never uses an incomplete run as the baseline', async () => {
    asRun(await runAudit(deps(), options()));
    await sim.close();
    // A broken server that ignores `page`: the listing is marked incomplete.
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 11, size: 240, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
      ignorePage: true,
    });
    clock = new Date('2026-11-27T09:00:00Z');
    const broken = asRun(await runAudit(deps(), options({ workspaces: [{ name: 'Acme prod', lister: lister(sim) }] })));
    expect(broken.complete).toBe(false);
    expect(broken.report.subject).toMatch(/^\[INCOMPLETE\]/);
    expect(broken.archived).toEqual([expect.objectContaining({ baseline: false })]);
    // Numbers missing from an incomplete listing must not read as removed.
    expect(only(broken).changes).toEqual({ status: 'skipped', reason: expect.stringMatching(/listing is incomplete/) });
    expect(broken.report.subject).not.toMatch(/removed/);

    clock = new Date('2026-11-30T09:00:00Z');
    await sim.close();
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 11, size: 240, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
    });
    const next = only(
      asRun(await runAudit(deps(), options({ workspaces: [{ name: 'Acme prod', lister: lister(sim) }] }))),
    );
    expect(next.changes?.status === 'compared' && next.changes.changes.previousGeneratedAt).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('names agents, flags numbers routed to a missing agent, and degrades when agents may not be read', async () => {
    const routed = sim.inventory().find((r) => isActive(r) && agentOf(r) !== null)!;
    sim.update(routed.id, { inbound_agent_id: 'agt_deleted_last_week', agent_id: undefined });

    const run = asRun(await runAudit(deps(), options({ writeHistory: false })));
    const ws = only(run);
    if (ws.agents?.status !== 'checked') throw new Error('agents were not checked');
    expect(ws.agents.agentCount).toBe(agents.length);
    expect(ws.agents.missing.map((n) => n.id)).toEqual([routed.id]);
    expect(run.report.subject).toMatch(/^\[Action needed\]/);
    expect(run.report.subject).toMatch(/1 to missing agents?/);
    const title = agents[0].current_version.title;
    const csvRowsWithName = run.report.csv
      .toString('utf8')
      .split('\r\n')
      .filter((line) => line.includes(title));
    expect(csvRowsWithName.length).toBeGreaterThan(0);

    const degraded = only(
      asRun(
        await runAudit(
          deps(),
          options({ writeHistory: false, workspaces: [{ name: 'Acme prod', lister: lister(sim, 'no_agents_key') }] }),
        ),
      ),
    );
    expect(degraded.agents).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/may not read agents \(403\)/),
    });
    expect(degraded.audit.total).toBe(sim.inventory().length);
  });

  it('costs numbers from the API first, then the rate card, else unknown, and the totals add up', async () => {
    const card = parseRateCard({ rates: { US: { local: 1.25, '*': 2 }, '*': { mobile: 3.5 } } }, 'rateCard');
    const run = asRun(await runAudit(deps(), options({ writeHistory: false, rateCard: card })));
    const ws = only(run);
    const { cost } = ws.audit;
    expect(cost.sources.api + cost.sources['rate-card'] + cost.sources.unknown).toBe(ws.audit.total);
    expect(cost.sources['rate-card']).toBeGreaterThan(0);
    for (const n of ws.numbers) {
      if (n.costSource === 'rate-card') {
        const expected = n.countryCode === 'US' ? (n.type === 'local' ? 1.25 : 2) : n.type === 'mobile' ? 3.5 : NaN;
        expect(n.monthlyCostUsd).toBe(expected);
      }
      if (n.costSource === 'unknown') expect(n.countryCode === 'US' || n.type === 'mobile').toBe(false);
    }
    const cents = (v: number) => Math.round(v * 100);
    const sum = (m: Record<string, number>) => Object.values(m).reduce((a, v) => a + cents(v), 0);
    expect(sum(cost.byCountry)).toBe(cents(cost.totalMonthly));
    expect(sum(cost.byType)).toBe(cents(cost.totalMonthly));
  });

  it('sends one email for two workspaces when one of them fails, and records the failure', async () => {
    const run = asRun(
      await runAudit(
        deps(),
        options({
          workspaces: [
            { name: 'Acme prod', lister: lister(sim) },
            { name: 'Acme EU', lister: lister(sim, 'no_numbers_key') },
          ],
        }),
      ),
    );
    expect(run.failedWorkspaces).toBe(1);
    expect(run.complete).toBe(false);
    const failed = run.workspaces.find((w) => !w.ok);
    expect(failed).toMatchObject({ name: 'Acme EU', ok: false, error: { code: 'PERMISSION' } });
    expect(run.combined.total).toBe(sim.inventory().length);
    expect(run.report.subject).toMatch(/^\[Action needed\].*2 workspaces.*1 failed/);
    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0].body.html).toContain('Acme prod');
    expect(emails[0].body.html).toContain('Acme EU');
    expect(emails[0].body.html).toMatch(/cannot read phone numbers/);
    expect(toAuditJson(run).workspaces.map((w) => [w.workspace, w.ok])).toEqual([
      ['Acme prod', true],
      ['Acme EU', false],
    ]);
    // The healthy workspace's history holds its own report, not the combined email.
    expect(run.archived).toHaveLength(1);
    const archivedHtml = await readFile(join(run.archived[0].location, 'report.html'), 'utf8');
    expect(archivedHtml).toContain('Acme prod');
    expect(archivedHtml).not.toContain('Acme EU');
  });

  it('fails without sending when no workspace can be read, naming each one', async () => {
    const run = runAudit(
      deps(),
      options({
        workspaces: [
          { name: 'Acme EU', lister: lister(sim, 'no_numbers_key') },
          { name: 'Acme APAC', lister: lister(sim, 'revoked_key') },
        ],
      }),
    );
    await expect(run).rejects.toBeInstanceOf(AllWorkspacesFailedError);
    await expect(run).rejects.toThrow(/Acme EU: .*cannot read phone numbers.*; Acme APAC: .*invalid or revoked/);
    expect(await ses.emails()).toHaveLength(0);
  });

  describe('one email per scheduled run', () => {
    const key = 'a'.repeat(64);

    it('sends once when the same schedule time is delivered twice at the same moment', async () => {
      const [a, b] = await Promise.all([
        runAudit(deps(), options({ idempotencyKey: key })),
        runAudit(deps(), options({ idempotencyKey: key })),
      ]);
      expect([a.status, b.status].sort()).toEqual(['duplicate', 'sent']);
      expect(await ses.emails()).toHaveLength(1);
      // A late redelivery after the send is a duplicate too, and says which message went out.
      const late = await runAudit(deps(), options({ idempotencyKey: key }));
      expect(late).toMatchObject({ status: 'duplicate', reason: 'done', uncertain: false });
      expect(await ses.emails()).toHaveLength(1);
    });

    it('sends once when a run fails before sending and is retried', async () => {
      sim.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
      sim.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
      await expect(runAudit(deps(), options({ idempotencyKey: key }))).rejects.toBeInstanceOf(ApiError);
      expect(await ses.emails()).toHaveLength(0);
      const retry = await runAudit(deps(), options({ idempotencyKey: key }));
      expect(retry.status).toBe('sent');
      expect(await ses.emails()).toHaveLength(1);
    });

    it('never resends when SES took the email but its answer was lost', async () => {
      // A proxy that hands the request to the SES emulator, then drops the connection unanswered.
      const proxy = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          await fetch(`${ses.endpoint}${req.url}`, {
            method: req.method,
            headers: {
              'content-type': String(req.headers['content-type']),
              authorization: String(req.headers.authorization),
            },
            body: Buffer.concat(chunks),
          });
          res.socket?.destroy();
        });
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const { port } = proxy.address() as AddressInfo;
      const lossy = new SesRawMailer({
        client: createSesClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1' }),
      });
      try {
        await expect(runAudit(deps({ mailer: lossy }), options({ idempotencyKey: key }))).rejects.toBeInstanceOf(
          DeliveryUncertainError,
        );
      } finally {
        await new Promise((resolve) => proxy.close(resolve));
      }
      expect(await ses.emails()).toHaveLength(1);
      const retry = await runAudit(deps(), options({ idempotencyKey: key }));
      expect(retry).toMatchObject({ status: 'duplicate', reason: 'done', uncertain: true });
      expect(await ses.emails()).toHaveLength(1);
    });

    it('gives the claim back when SES refuses the message, so the retry sends', async () => {
      const refusing: RawMailer = {
        sendRaw: async () => {
          throw new DeliveryError('SES rejected the message: Email address is not verified');
        },
      };
      await expect(runAudit(deps({ mailer: refusing }), options({ idempotencyKey: key }))).rejects.toBeInstanceOf(
        DeliveryError,
      );
      expect((await runAudit(deps(), options({ idempotencyKey: key }))).status).toBe('sent');
      expect(await ses.emails()).toHaveLength(1);
    });

    it('gives the claim back when it cannot be moved to sending, so the retry sends', async () => {
      let failOnce = true;
      const flaky: typeof archive = Object.create(archive);
      flaky.markSending = async (k: string, t: string) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('S3 503 SlowDown');
        }
        return archive.markSending(k, t);
      };
      await expect(runAudit({ ...deps(), idempotency: flaky }, options({ idempotencyKey: key }))).rejects.toThrow(
        'SlowDown',
      );
      expect(await ses.emails()).toHaveLength(0);
      expect((await runAudit({ ...deps(), idempotency: flaky }, options({ idempotencyKey: key }))).status).toBe('sent');
      expect(await ses.emails()).toHaveLength(1);
    });

    it('succeeds with a warning when the send went out but could not be recorded', async () => {
      const forgetful: typeof archive = Object.create(archive);
      forgetful.markSent = async () => {
        throw new Error('S3 500 InternalError');
      };
      const run = asRun(await runAudit({ ...deps(), idempotency: forgetful }, options({ idempotencyKey: key })));
      expect(run.status).toBe('sent');
      expect(run.warnings).toEqual([expect.stringMatching(/could not be recorded as done: S3 500 InternalError/)]);
      // The record stays in `sending`: a redelivery does not resend.
      expect(await runAudit(deps(), options({ idempotencyKey: key }))).toMatchObject({
        status: 'duplicate',
        uncertain: true,
      });
      expect(await ses.emails()).toHaveLength(1);
    });

    it('waits for a live claim and reports the duplicate once its owner has sent', async () => {
      const held = await archive.claim(key, { leaseMs: 600_000, now: clock });
      if (held.outcome !== 'claimed') throw new Error('setup: expected to claim');
      const sleeps: number[] = [];
      const sleep = async (ms: number) => {
        sleeps.push(ms);
        // The owner finishes while we wait.
        await archive.markSending(key, held.token);
        await archive.markSent(key, held.token, { messageId: 'ses-owner-1' });
      };
      const outcome = await runAudit(
        { ...deps(), sleep },
        options({ idempotencyKey: key, leaseMs: 600_000, claimWaitMs: 60_000, claimPollMs: 5_000 }),
      );
      expect(outcome).toMatchObject({
        status: 'duplicate',
        reason: 'done',
        uncertain: false,
        record: { messageId: 'ses-owner-1' },
      });
      expect(sleeps).toEqual([5_000]);
      expect(await ses.emails()).toHaveLength(0);
    });

    it('takes over a claim left by an attempt that crashed before sending, once it goes stale', async () => {
      const held = await archive.claim(key, { leaseMs: 60_000, now: clock });
      expect(held.outcome).toBe('claimed');
      const sleep = async (ms: number) => {
        clock = new Date(clock.getTime() + ms);
      };
      const outcome = await runAudit(
        { ...deps(), sleep },
        options({ idempotencyKey: key, leaseMs: 60_000, claimWaitMs: 120_000, claimPollMs: 20_000 }),
      );
      expect(outcome.status).toBe('sent');
      expect(await ses.emails()).toHaveLength(1);
    });

    it('fails, to be retried later, when the claim is still held after the wait', async () => {
      await archive.claim(key, { leaseMs: 600_000, now: clock });
      const sleep = async (ms: number) => {
        clock = new Date(clock.getTime() + ms);
      };
      await expect(
        runAudit(
          { ...deps(), sleep },
          options({ idempotencyKey: key, leaseMs: 600_000, claimWaitMs: 30_000, claimPollMs: 10_000 }),
        ),
      ).rejects.toBeInstanceOf(RunInProgressError);
      expect(await ses.emails()).toHaveLength(0);
    });

    it('answers a redelivery of a run already sent without listing anything', async () => {
      expect((await runAudit(deps(), options({ idempotencyKey: key }))).status).toBe('sent');
      sim.resetLog();
      const again = await runAudit(deps(), options({ idempotencyKey: key }));
      expect(again).toMatchObject({ status: 'duplicate', reason: 'done', uncertain: false });
      expect(sim.requests).toEqual([]);
    });

    it('records the send before it writes the archive, so a run that dies archiving is not resent', async () => {
      const statesSeenByArchive: Array<string | undefined> = [];
      const watching: typeof archive = Object.create(archive);
      watching.writeRun = async (run) => {
        statesSeenByArchive.push((await archive.peek(key))?.state);
        return archive.writeRun(run);
      };
      const run = asRun(await runAudit({ ...deps(), archive: watching }, options({ idempotencyKey: key })));
      expect(run.status).toBe('sent');
      expect(statesSeenByArchive).toEqual(['sent']);
    });

    it('holds no claim while listing: an attempt that dies listing leaves its retry free to send', async () => {
      sim.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
      sim.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
      await expect(runAudit(deps(), options({ idempotencyKey: key }))).rejects.toBeInstanceOf(ApiError);
      expect(await archive.peek(key)).toBeNull();
    });

    it('does not deduplicate runs without a key', async () => {
      await runAudit(deps(), options({ writeHistory: false }));
      await runAudit(deps(), options({ writeHistory: false }));
      expect(await ses.emails()).toHaveLength(2);
    });
  });
});
