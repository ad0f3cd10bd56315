// The size guard end to end: real MIME, sent through the SES emulator, read back parsed.
import { SESClient } from '@aws-sdk/client-ses';
import { gunzipSync } from 'node:zlib';
import { createReportEmailBuilder } from '../../../lambda/adapters/email/report-email-builder';
import { SES_MAX_RAW_BYTES } from '../../../lambda/adapters/email/mime';
import { SesRawMailer } from '../../../lambda/adapters/ses/ses-mailer';
import type { AttachmentMode } from '../../../lambda/core/types';
import { startSesLocal, type SesLocal } from '../../../scripts/support/ses-local';

const DATE = new Date('2025-03-03T07:00:00Z');
const FROM = 'audit@example.com';
const TO = ['ops@example.com'];

/** Deterministic incompressible-ish bytes (xorshift32), so the test never depends on luck. */
function noise(bytes: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** ~`bytes` of realistic inventory rows: repetitive, so gzip shrinks them a lot. */
function inventoryCsv(bytes: number): string {
  const rows = ['id,phone_number,country,type,status,inbound_agent_id,nickname'];
  let size = rows[0].length + 1;
  for (let i = 0; size < bytes; i++) {
    const row = `pn_${String(i).padStart(8, '0')},+1415${String(5_000_000 + (i % 5_000_000)).padStart(7, '0')},US,local,active,agent_${i % 40},Support line ${i % 97}`;
    rows.push(row);
    size += row.length + 1;
  }
  return `${rows.join('\n')}\n`;
}

const render = (mode: AttachmentMode) => ({
  subject: `Number audit (${mode})`,
  text: `attachment: ${mode}`,
  html: `<p>attachment: ${mode}</p>`,
});

describe('createReportEmailBuilder with the SES emulator', () => {
  let ses: SesLocal;
  let mailer: SesRawMailer;
  let client: SESClient;

  beforeAll(async () => {
    ses = await startSesLocal();
    client = new SESClient({ endpoint: ses.endpoint, region: 'us-east-1', maxAttempts: 1 });
    mailer = new SesRawMailer({ client });
  });
  afterEach(() => ses.clear());
  afterAll(async () => {
    client.destroy();
    await ses.close();
  });

  async function buildAndSend(csv: string) {
    const modes: AttachmentMode[] = [];
    const built = await createReportEmailBuilder().build({
      from: FROM,
      to: TO,
      date: DATE,
      csv: Buffer.from(csv),
      render: ({ attachment }) => {
        modes.push(attachment);
        return render(attachment);
      },
    });
    await mailer.sendRaw(built.raw, { from: FROM, to: TO });
    const [email, ...others] = await ses.emails();
    expect(others).toHaveLength(0);
    return { built, modes, email };
  }

  it('attaches a small CSV as is, named after the run date', async () => {
    const csv = inventoryCsv(5_000);
    const { built, modes, email } = await buildAndSend(csv);
    expect(built.attachment).toBe('csv');
    expect(modes).toEqual(['csv']);
    expect(email.subject).toBe('Number audit (csv)');
    expect(email.attachments).toHaveLength(1);
    expect(email.attachments[0].filename).toBe('phone-numbers-2025-03-03.csv');
    expect(Buffer.from(email.attachments[0].content, 'base64').toString('utf8')).toBe(csv);
  });

  it('gzips a 12 MB CSV that would not fit, and the gzip decodes back to the CSV', async () => {
    const csv = inventoryCsv(12_000_000);
    const { built, modes, email } = await buildAndSend(csv);
    expect(built.attachment).toBe('csv.gz');
    expect(built.raw.length).toBeLessThanOrEqual(SES_MAX_RAW_BYTES);
    expect(modes).toEqual(['csv.gz']); // its base64 alone exceeds the limit: the plain build is skipped
    expect(email.subject).toBe('Number audit (csv.gz)');
    expect(email.body.text?.trim()).toBe('attachment: csv.gz');
    expect(email.body.html).toContain('<p>attachment: csv.gz</p>');
    expect(email.attachments[0].filename).toBe('phone-numbers-2025-03-03.csv.gz');
    expect(email.attachments[0].contentType).toBe('application/gzip');
    expect(gunzipSync(Buffer.from(email.attachments[0].content, 'base64')).toString('utf8')).toBe(csv);
  });

  it('leaves out a CSV that is too big even gzipped, and says so through render', async () => {
    // 9 MB of noise, base64 in the CSV: ~12 MB of text that gzip cannot bring under the limit.
    const csv = `blob\n${noise(9_000_000).toString('base64')}\n`;
    const { built, modes, email } = await buildAndSend(csv);
    expect(built.attachment).toBe('omitted');
    expect(modes).toEqual(['csv.gz', 'omitted']);
    expect(built.raw.length).toBeLessThan(10_000);
    expect(email.subject).toBe('Number audit (omitted)');
    expect(email.attachments).toEqual([]);
  });
});
