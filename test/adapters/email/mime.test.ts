import { gunzipSync, gzipSync } from 'node:zlib';
import type { EmailMessage } from '../../../lambda/core/ports';
import type { AttachmentMode } from '../../../lambda/core/types';
import {
  buildMime,
  composeWithinLimit,
  csvAttachments,
  type FitAttempt,
  fitAttempts,
  SES_MAX_RAW_BYTES,
} from '../../../lambda/adapters/email/mime';

const DATE = new Date('2025-03-03T07:00:00Z');
const CSV = Buffer.from('id,phone_number,country\nn1,+14155550100,US\nn2,+442071838750,GB\n');

async function message(overrides: Partial<EmailMessage> = {}): Promise<EmailMessage> {
  return {
    from: 'Number Audit <audit@example.com>',
    to: ['ops@example.com', 'finance@example.com'],
    subject: 'Number audit: 2 numbers, 1 unrouted',
    text: 'Plain report',
    html: '<p>HTML report</p>',
    attachments: await csvAttachments('csv', 'phone-numbers.csv', CSV),
    ...overrides,
  };
}

/** Header block of one MIME entity: unfolded lines, in order. */
function headerLines(entity: string): string[] {
  const end = entity.indexOf('\r\n\r\n');
  const head = entity.slice(0, end === -1 ? entity.length : end);
  return head
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .filter((l) => l !== '');
}

function headerNames(entity: string): string[] {
  return headerLines(entity).map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
}

function header(entity: string, name: string): string | undefined {
  const line = headerLines(entity).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** Every part's header block, found by its boundary line. */
function partsOf(raw: string): string[] {
  return raw.split(/\r\n--[^\r\n]+\r\n/).slice(1);
}

describe('buildMime', () => {
  it('nests text and html in multipart/alternative inside multipart/mixed with the CSV attachment', async () => {
    const raw = (await buildMime(await message(), { date: DATE })).toString('utf8');
    const top = header(raw, 'content-type')!;
    expect(top).toMatch(/^multipart\/mixed; boundary="([^"]+)"/);
    const outer = /boundary="([^"]+)"/.exec(top)![1];

    const outerParts = raw.split(`--${outer}`).slice(1, -1);
    expect(outerParts).toHaveLength(2);
    const alternative = outerParts[0].replace(/^\r\n/, '');
    expect(header(alternative, 'content-type')).toMatch(/^multipart\/alternative;/);
    const inner = /boundary="([^"]+)"/.exec(header(alternative, 'content-type')!)![1];
    const innerTypes = alternative
      .split(`--${inner}`)
      .slice(1, -1)
      .map((p) => header(p.replace(/^\r\n/, ''), 'content-type'));
    expect(innerTypes).toEqual(['text/plain; charset=utf-8', 'text/html; charset=utf-8']);

    const attachment = outerParts[1].replace(/^\r\n/, '');
    expect(header(attachment, 'content-type')).toMatch(/^text\/csv; charset=utf-8; name=phone-numbers\.csv$/);
    expect(header(attachment, 'content-disposition')).toBe('attachment; filename=phone-numbers.csv');
    const body = attachment.slice(attachment.indexOf('\r\n\r\n') + 4).replace(/\s+/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toBe(CSV.toString('utf8'));
  });

  it('writes the injected date, the addresses, and a Message-ID in the given domain', async () => {
    const raw = (
      await buildMime(await message({ replyTo: ['noc@example.com'] }), {
        date: DATE,
        messageIdDomain: 'audit.example.net',
      })
    ).toString('utf8');
    expect(header(raw, 'date')).toBe('Mon, 03 Mar 2025 07:00:00 +0000');
    expect(header(raw, 'from')).toBe('Number Audit <audit@example.com>');
    expect(header(raw, 'to')).toBe('ops@example.com, finance@example.com');
    expect(header(raw, 'reply-to')).toBe('noc@example.com');
    expect(header(raw, 'message-id')).toMatch(/^<[0-9a-f-]{36}@audit\.example\.net>$/);
    expect(headerNames(raw)).not.toContain('x-mailer');
  });

  it('builds only multipart/alternative when there is no attachment', async () => {
    const raw = (await buildMime(await message({ attachments: [] }), { date: DATE })).toString('utf8');
    expect(header(raw, 'content-type')).toMatch(/^multipart\/alternative;/);
    expect(raw).not.toContain('Content-Disposition: attachment');
  });

  it('never lets CR/LF in subject, addresses or filename start a new header', async () => {
    const raw = (
      await buildMime(
        await message({
          from: 'audit@example.com\r\nBcc: thief@evil.test',
          to: ['ops@example.com\nX-Injected-To: 1'],
          subject: 'Weekly audit\r\nBcc: thief@evil.test\r\n\r\nforged body',
          attachments: [
            { filename: 'numbers\r\nX-Evil: 1\r\n.csv', contentType: 'text/csv', content: Buffer.from(CSV) },
          ],
        }),
        { date: DATE },
      )
    ).toString('utf8');

    expect(headerNames(raw).sort()).toEqual(
      ['content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to'].sort(),
    );
    for (const part of partsOf(raw)) {
      for (const name of headerNames(part)) {
        expect(['content-type', 'content-transfer-encoding', 'content-disposition']).toContain(name);
      }
    }
    expect(raw).not.toMatch(/^(bcc|x-evil|x-injected-to):/im);
    expect(header(raw, 'subject')).toBe('Weekly audit Bcc: thief@evil.test forged body');
  });
});

describe('csvAttachments', () => {
  it('attaches the CSV as UTF-8 text/csv', async () => {
    const [a, ...rest] = await csvAttachments('csv', 'n.csv', Buffer.from('a,é\n'));
    expect(rest).toHaveLength(0);
    expect(a).toEqual({
      filename: 'n.csv',
      contentType: 'text/csv; charset=utf-8',
      content: Buffer.from('a,é\n', 'utf8'),
    });
  });

  it('attaches the gzipped CSV as <name>.gz that gunzips back to the CSV', async () => {
    const [a] = await csvAttachments('csv.gz', 'n.csv', CSV);
    expect(a.filename).toBe('n.csv.gz');
    expect(a.contentType).toBe('application/gzip');
    expect(gunzipSync(a.content).toString('utf8')).toBe(CSV.toString('utf8'));
  });

  it('gzips to the same bytes as a level-3 gzipSync, CSVs larger than one zlib chunk included', async () => {
    // Larger than its 16 KB default chunks, so one output buffer must take the whole result.
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `n${i},+1415555${String(i).padStart(4, '0')},US,Café ${i % 97}`,
    );
    const large = Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');
    for (const csv of [CSV, large]) {
      const [gz] = await csvAttachments('csv.gz', 'n.csv', csv);
      expect(gz.content.equals(gzipSync(csv, { level: 3 }))).toBe(true);
    }
  });

  it('attaches nothing when omitted', async () => {
    expect(await csvAttachments('omitted', 'n.csv', CSV)).toEqual([]);
  });
});

describe('composeWithinLimit', () => {
  /** Sizes by attempt: mode, plus ":cut" for the CSV with long texts cut. */
  type Step = AttachmentMode | 'csv:cut' | 'csv.gz:cut';
  const key = (a: FitAttempt): Step => (a.csvCut ? (`${a.mode}:cut` as Step) : a.mode);
  const sized = (sizes: Partial<Record<Step, number>>) => {
    const calls: Step[] = [];
    const build = async (attempt: FitAttempt) => {
      calls.push(key(attempt));
      return Buffer.alloc(sizes[key(attempt)] ?? 1);
    };
    return { calls, build };
  };
  const ladder = (cut?: string) =>
    fitAttempts(Buffer.from('id\r\n'), cut === undefined ? undefined : () => Buffer.from(cut));

  it('keeps the CSV as is when it fits (limit inclusive) and builds once', async () => {
    const { calls, build } = sized({ csv: 100, 'csv.gz': 10, omitted: 5 });
    const out = await composeWithinLimit(build, ladder(), 100);
    expect(out.attempt).toMatchObject({ mode: 'csv', csvCut: false });
    expect(out.raw).toHaveLength(100);
    expect(calls).toEqual(['csv']);
  });

  it('falls back to csv.gz when the plain CSV is one byte too big', async () => {
    const { calls, build } = sized({ csv: 101, 'csv.gz': 60, omitted: 5 });
    const out = await composeWithinLimit(build, ladder(), 100);
    expect(out.attempt.mode).toBe('csv.gz');
    expect(out.raw).toHaveLength(60);
    expect(calls).toEqual(['csv', 'csv.gz']);
  });

  it('tries the CSV with long texts cut before leaving it out, only when cutting changes it', async () => {
    const { calls, build } = sized({ csv: 300, 'csv.gz': 200, 'csv:cut': 150, 'csv.gz:cut': 90, omitted: 5 });
    const out = await composeWithinLimit(build, ladder('id\r\n'), 100);
    expect(out.attempt).toMatchObject({ mode: 'csv.gz', csvCut: true });
    expect(calls).toEqual(['csv', 'csv.gz', 'csv:cut', 'csv.gz:cut']);

    const without = sized({ csv: 300, 'csv.gz': 200, omitted: 5 });
    await composeWithinLimit(without.build, ladder(), 100);
    expect(without.calls).toEqual(['csv', 'csv.gz', 'omitted']);
  });

  it('leaves the CSV out, then keeps only the headline figures', async () => {
    const { calls, build } = sized({ csv: 300, 'csv.gz': 200, omitted: 150, summary: 40 });
    const out = await composeWithinLimit(build, ladder(), 100);
    expect(out.attempt.mode).toBe('summary');
    expect(calls).toEqual(['csv', 'csv.gz', 'omitted', 'summary']);
  });

  it('says it is a bug, and sends nothing, if even the headline-figures email exceeds the limit', async () => {
    const { build } = sized({ csv: 300, 'csv.gz': 200, omitted: 150, summary: 120 });
    await expect(composeWithinLimit(build, ladder(), 100)).rejects.toThrow(
      /headline-figures email is 120 bytes, over the 100-byte limit: .* \(a bug\); nothing was sent/,
    );
  });

  it('skips building a plain CSV whose base64 alone is over the limit', async () => {
    const { calls, build } = sized({ 'csv.gz': 10 });
    const big = Buffer.from('x'.repeat(1000));
    await composeWithinLimit(build, fitAttempts(big), 100);
    expect(calls).toEqual(['csv.gz']);
  });

  it('makes the cut CSV only when the full one did not fit', async () => {
    let made = 0;
    const attempts = fitAttempts(Buffer.from('id\r\n'), () => {
      made += 1;
      return Buffer.from('cut');
    });
    await composeWithinLimit(() => Buffer.alloc(1), attempts, 100);
    expect(made).toBe(0);
  });

  it('accepts a synchronous builder and defaults to the SES limit', async () => {
    const out = await composeWithinLimit(
      (a) => Buffer.alloc(a.mode === 'csv' ? SES_MAX_RAW_BYTES + 1 : 10),
      fitAttempts(Buffer.from('id\r\n')),
    );
    expect(out.attempt.mode).toBe('csv.gz');
  });
});
