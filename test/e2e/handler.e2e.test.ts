// The Lambda handler end to end: real HTTP to the DialNexa simulator, real SES API calls to
// aws-ses-v2-local, Secrets Manager through a local stand-in; all started here on loopback.
import type { Context } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { generateAgents, generatePortfolio, startSimulator, type SimRecord, type Simulator } from '../../simulator';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { asRun, captureOutput, type CapturedOutput, type Handler, loadHandler } from './fixtures';

const SECRET_ID = 'number-audit/dialnexa';

/** An independent reading of the unrouted rule, straight from the raw records. */
function expectedUnrouted(records: SimRecord[]): number {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  return records.filter((r) => {
    const rental = str(r.rental_status)?.toLowerCase();
    const status = rental && rental !== 'active' ? rental : (str(r.status)?.toLowerCase() ?? null);
    const agent = str(r.inbound_agent_id) ?? str(r.agent_id);
    return (status === null || status === 'active') && agent === null;
  }).length;
}

/** The attached CSV as rows, read by a real CSV parser (RFC 4180, BOM and CRLF aware). */
function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relaxColumnCount: false }) as string[][];
}

function fakeContext(remainingMs = 120_000): Context {
  return {
    functionName: 'number-audit',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

describe('Lambda handler end to end', () => {
  let sim: Simulator;
  let ses: SesLocal;
  let secrets: SecretsLocal;
  let handler: Handler;
  let output: CapturedOutput;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    const agents = generateAgents(7, 8);
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 42, size: 1250, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
    });
    ses = await startSesLocal();
    secrets = await startSecretsLocal({ [SECRET_ID]: JSON.stringify({ apiKey: sim.apiKey }) });
    Object.assign(process.env, {
      DIALNEXA_SECRET_ID: SECRET_ID,
      DIALNEXA_BASE_URL: sim.url,
      REPORT_RECIPIENTS: 'ops@example.com,finance@example.com',
      REPORT_SENDER: 'reports@example.com',
      REPORT_TIME_ZONE: 'Asia/Kolkata',
      WORKSPACE_NAME: 'Acme prod',
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    output = captureOutput();
    handler = loadHandler();
  });

  afterAll(async () => {
    output.restore();
    process.env = savedEnv;
    await Promise.all([sim.close(), ses.close(), secrets.close()]);
  });

  beforeEach(async () => {
    await ses.clear();
  });

  it('lists every number, emails one complete report and returns the summary', async () => {
    const inventory = sim.inventory();
    const unrouted = expectedUnrouted(inventory);
    expect(unrouted).toBeGreaterThan(0);

    const summary = asRun(
      await handler(
        {
          scheduledTime: '2026-11-30T03:30:00Z',
          scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/weekly',
        },
        fakeContext(),
      ),
    );
    expect(summary.status).toBe('sent');

    expect(summary.total).toBe(inventory.length);
    expect(summary.unroutedCount).toBe(unrouted);
    expect(summary.complete).toBe(true);
    expect(summary).toMatchObject({ verified: true, baselineHeld: false, attachment: 'csv', csvCut: false });
    expect(summary.dryRun).toBe(false);
    expect(Object.values(summary.byCountry).reduce((a, b) => a + b, 0)).toBe(inventory.length);

    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(summary.messageId).toBe(email.messageId);
    expect(email.from).toBe('reports@example.com');
    // The emulator keeps the To header as one string.
    expect(email.destination.to.join(',').split(/,\s*/)).toEqual(['ops@example.com', 'finance@example.com']);
    expect(email.subject).toMatch(/^\[Action needed\] /);
    expect(email.subject).toContain('1,250');
    expect(email.subject).toContain(String(unrouted));
    expect(email.body.html).toContain('Acme prod');
    expect(email.body.text).toContain('1,250');

    expect(email.attachments).toHaveLength(1);
    const csv = Buffer.from(email.attachments[0].content, 'base64')
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const [header, ...rows] = parseCsv(csv);
    const idCol = header.indexOf('id');
    const numberCol = header.indexOf('phone_number');
    expect(rows.map((r) => `${r[idCol]} ${r[numberCol]}`).sort()).toEqual(
      inventory.map((r) => `${r.id} ${r.phone_number}`).sort(),
    );
  });

  it('sends nothing on a dry run and still reports the figures', async () => {
    const summary = asRun(await handler({ dryRun: true }, fakeContext()));
    expect(summary.status).toBe('dry-run');
    expect(summary.dryRun).toBe(true);
    expect(summary.messageId).toBeUndefined();
    expect(summary.total).toBe(sim.inventory().length);
    expect(await ses.emails()).toHaveLength(0);
  });

  it('applies console overrides: recipients and a country filter reach the API and the email', async () => {
    const summary = asRun(
      await handler({ recipients: ['analyst@example.com'], countryCode: 'IN', type: 'local' }, fakeContext()),
    );
    const listRequests = sim.requests.filter((r) => r.path === '/v1/organization-phone-numbers');
    expect(listRequests.at(-1)?.query).toMatchObject({ country_code: 'IN', type: 'local' });
    expect(Object.keys(summary.byCountry)).toEqual(['IN']);
    const [email] = await ses.emails();
    expect(email.destination.to).toEqual(['analyst@example.com']);
  });

  it('rejects an unknown event field before calling anything', async () => {
    const before = sim.requests.length;
    await expect(handler({ dryrun: true }, fakeContext())).rejects.toThrow(/event\.dryrun: is not a known field/);
    expect(sim.requests.length).toBe(before);
  });

  it('never writes the API key to the logs', async () => {
    output.clear();
    await handler({ dryRun: true }, fakeContext());
    await expect(handler({ dryrun: true }, fakeContext())).rejects.toThrow();
    expect(output.text).toContain('listing finished');
    expect(output.text).toContain('audit failed');
    expect(output.text).not.toContain(sim.apiKey);
  });
});
