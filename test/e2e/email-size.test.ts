// Hostile API text must never cost the week's email: whatever the nicknames and providers hold,
// one SES send under the limit that says what was cut. Real parts: the DialNexa simulator over
// HTTP, the SES emulator, the real email builder; the message is read back with mailparser.
import { randomBytes } from 'node:crypto';
import { SESClient } from '@aws-sdk/client-ses';
import { type ParsedMail, simpleParser } from 'mailparser';
import { createDialNexaClient } from '../../lambda/adapters/dialnexa';
import { createReportEmailBuilder } from '../../lambda/adapters/email/report-email-builder';
import { SES_MAX_RAW_BYTES } from '../../lambda/adapters/email/mime';
import { createStaticKeySource } from '../../lambda/adapters/secrets/static-key-source';
import { SesRawMailer } from '../../lambda/adapters/ses/ses-mailer';
import { API_TEXT_MAX_CHARS } from '../../lambda/core/api-text';
import { silentLogger } from '../../lambda/core/ports';
import { type AuditRun, runAudit } from '../../lambda/core/run-audit';
import { type SimRecord, type Simulator, startSimulator } from '../../simulator';
import { type SesLocal, startSesLocal } from '../../scripts/support/ses-local';

const FROM = 'reports@example.com';
const TO = ['ops@example.com'];

function numbers(count: number, fields: (i: number) => Partial<SimRecord>): SimRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `phn_${String(i).padStart(6, '0')}`,
    phone_number: `+1201555${String(i).padStart(4, '0')}`,
    country_code: 'US',
    type: 'local',
    status: 'active',
    inbound_agent_id: null,
    ...fields(i),
  }));
}

describe('the email always fits', () => {
  let ses: SesLocal;
  let sim: Simulator | undefined;
  beforeAll(async () => {
    ses = await startSesLocal();
  });
  afterAll(() => ses.close());
  afterEach(async () => {
    await sim?.close();
    await ses.clear();
  });

  async function audit(
    records: SimRecord[],
    maxBytes?: number,
  ): Promise<{ run: AuditRun; mail: ParsedMail; rawBytes: number }> {
    sim = await startSimulator({ numbers: records });
    const mailer = new SesRawMailer({
      client: new SESClient({ endpoint: ses.endpoint, region: 'eu-west-1', maxAttempts: 1 }),
    });
    const outcome = await runAudit(
      {
        emailBuilder: createReportEmailBuilder({ maxBytes }),
        mailer,
        now: () => new Date('2026-11-30T09:00:00Z'),
        logger: silentLogger,
      },
      {
        workspaces: [
          {
            name: 'Hostile',
            lister: createDialNexaClient({ baseUrl: sim.url, keySource: createStaticKeySource(sim.apiKey) }),
          },
        ],
        runId: 'size',
        timeZone: 'UTC',
        from: FROM,
        to: TO,
        onDemandHint: 'npm run audit',
        checkAgents: false,
        checkUsage: false,
      },
    );
    if (outcome.status === 'duplicate') throw new Error('expected a run');
    const sent = await ses.emails();
    expect(sent).toHaveLength(1);
    return { run: outcome, mail: await simpleParser(outcome.email.raw), rawBytes: outcome.email.raw.length };
  }

  it('100 unrouted numbers with 60 KB nicknames: one send, nicknames cut in the body, in full in the CSV', async () => {
    const nickname = (i: number) => `N${i} ${randomBytes(45_000).toString('base64')}`; // ~60 KB each
    const { run, mail, rawBytes } = await audit(numbers(100, (i) => ({ nickname: nickname(i) })));
    expect(rawBytes).toBeLessThanOrEqual(SES_MAX_RAW_BYTES);
    expect(run.email).toMatchObject({ attachment: 'csv', csvCut: false });
    expect(mail.text).toContain(
      `longer than ${API_TEXT_MAX_CHARS} characters are cut in this email; the CSV has them in full.`,
    );
    expect(mail.text?.length).toBeLessThan(200_000);
    const csv = mail.attachments[0].content.toString('utf8');
    expect(csv.length).toBeGreaterThan(100 * 60_000);
  });

  it('200 such nicknames: the CSV carries them cut, and says so, rather than losing the email', async () => {
    const nickname = () => randomBytes(45_000).toString('base64');
    const { run, mail, rawBytes } = await audit(numbers(200, () => ({ nickname: nickname() })));
    expect(rawBytes).toBeLessThanOrEqual(SES_MAX_RAW_BYTES);
    expect(run.email.csvCut).toBe(true);
    expect(mail.text).toContain('and, to fit, in the CSV too.');
    expect(mail.html).toContain('and, to fit, in the CSV too.');
    const [attachment] = mail.attachments;
    expect(attachment.filename).toMatch(/\.csv$/);
    const longest = Math.max(
      ...attachment.content
        .toString('utf8')
        .split('\r\n')
        .map((line) => line.length),
    );
    expect(longest).toBeLessThan(600);
  });

  it('30,000 distinct providers: the 20 most common rows and "and N more", one send well under the limit', async () => {
    const provider = (i: number) => `provider-${i}-${'x'.repeat(300)}`;
    const { mail, rawBytes } = await audit(
      numbers(30_000, (i) => ({ provider: provider(i), inbound_agent_id: 'agt_1' })),
    );
    expect(rawBytes).toBeLessThan(SES_MAX_RAW_BYTES / 2);
    expect(mail.text).toContain('and 29,980 more providers with 29,980 numbers.');
    expect(mail.html).toContain('and 29,980 more providers with 29,980 numbers.');
    expect(mail.text?.match(/provider-\d+-x+…/g)?.length).toBe(20);
  });

  it('rejected records with 2 MB ids: the incomplete report quotes them cut and clean, one send', async () => {
    const hostile = (i: number) => ({ id: `\u202e${i}${'i'.repeat(2_000_000)}`, phone_number: 'nope' });
    const records = [...numbers(5, () => ({})), hostile(1), hostile(2), hostile(3)] as SimRecord[];
    const { run, mail, rawBytes } = await audit(records);
    expect(run.complete).toBe(false);
    expect(rawBytes).toBeLessThan(200_000);
    expect(mail.text).toContain('failed validation');
    expect(`${mail.text}${mail.html}`).not.toContain('\u202e');
    expect(mail.text).not.toContain('i'.repeat(600));
  });

  it('an email that had to leave the CSV out does not point to it for the full texts', async () => {
    // One nickname is cut; 3,000 incompressible ones under the cut keep even the cut CSV too large.
    const nickname = (i: number) => randomBytes(i === 0 ? 3_000 : 110).toString('base64');
    const { run, mail } = await audit(
      numbers(3_000, (i) => ({ nickname: nickname(i) })),
      200_000,
    );
    expect(run.email.attachment).toBe('omitted');
    expect(mail.text).toContain(`longer than ${API_TEXT_MAX_CHARS} characters are cut in this email.`);
    expect(mail.text).not.toContain('the CSV has them in full');
  });
});
