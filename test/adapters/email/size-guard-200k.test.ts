// The size guard on a realistic large portfolio (200,000 numbers): the core's own CSV and report,
// built into real MIME by the email builder, must fit SES and say how the CSV travels.
import { gunzipSync } from 'node:zlib';
import { SES_MAX_RAW_BYTES } from '../../../lambda/adapters/email/mime';
import { createReportEmailBuilder } from '../../../lambda/adapters/email/report-email-builder';
import { normalizeAll } from '../../../lambda/core/normalize';
import { renderBodies, renderCsv, type ReportContext } from '../../../lambda/core/report';
import type { AttachmentMode } from '../../../lambda/core/types';
import { generatePortfolio, type SimRecord } from '../../../simulator';
import { reportContext, workspace } from '../../core/fixtures';

const SIZE = 200_000;
// Generating 200k numbers takes ~7 s; 25k generated and copied eight times, each copy with its own
// ids and numbers, gives the same mix of countries, types, nicknames and costs in ~1 s.
const BASE = 25_000;
const COPIES = SIZE / BASE;

function largePortfolio(): SimRecord[] {
  const base = generatePortfolio({ seed: 20261130, size: BASE, variants: 'canonical' });
  const taken = new Set(base.map((r) => r.phone_number));
  const out = [...base];
  for (let copy = 1; copy < COPIES; copy++) {
    for (const r of base) {
      // Same length, same country prefix: only the last four digits move, to a number not yet used.
      const head = r.phone_number.slice(0, -4);
      let tail = (Number(r.phone_number.slice(-4)) + copy * 1237) % 10_000;
      let number = `${head}${String(tail).padStart(4, '0')}`;
      while (taken.has(number)) {
        tail = (tail + 1) % 10_000;
        number = `${head}${String(tail).padStart(4, '0')}`;
      }
      taken.add(number);
      out.push({ ...r, id: `${r.id}_${copy}`, phone_number: number });
    }
  }
  return out;
}

/** The decoded body of the first MIME part with this content type. */
function mimePart(raw: string, contentType: string): { headers: string; body: Buffer } {
  const start = raw.search(new RegExp(`^Content-Type: ${contentType.replace('/', '\\/')}`, 'im'));
  if (start < 0) throw new Error(`no ${contentType} part`);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const headers = raw.slice(start, headerEnd);
  // The part ends at the next boundary line; the text part has lines starting with "--" itself.
  const boundaries = [...raw.matchAll(/boundary="([^"]+)"/g)].map((m) => `\r\n--${m[1]}`);
  const end = Math.min(...boundaries.map((b) => raw.indexOf(b, headerEnd)).filter((i) => i >= 0));
  const body = raw.slice(headerEnd + 4, end);
  const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return { headers, body: Buffer.from(body, 'base64') };
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return { headers, body: Buffer.from(bytes, 'latin1') };
  }
  return { headers, body: Buffer.from(body, 'utf8') };
}

it('gzips the CSV of a 200,000-number portfolio and keeps the message within the SES limit', async () => {
  const numbers = normalizeAll(largePortfolio());
  expect(new Set(numbers.map((n) => n.id)).size).toBe(SIZE);
  expect(new Set(numbers.map((n) => n.phoneNumber)).size).toBe(SIZE);
  const ws = workspace(numbers, { name: 'Acme Voice (large)' });
  expect(ws.audit.total).toBe(SIZE);
  expect(Object.keys(ws.audit.byCountry).length).toBeGreaterThanOrEqual(6);

  const csv = renderCsv([ws]);
  // Far over the limit as is, so the guard really has to act.
  expect(Buffer.byteLength(csv)).toBeGreaterThan(SES_MAX_RAW_BYTES);
  const ctx: ReportContext = { ...reportContext([]), workspaces: [ws] };
  const rendered: AttachmentMode[] = [];
  const built = await createReportEmailBuilder().build({
    from: 'number-audit@acme.example.com',
    to: ['telephony-ops@acme.example.com'],
    date: ctx.generatedAt,
    csv,
    render: ({ attachment }) => {
      rendered.push(attachment);
      return renderBodies({ ...ctx, attachment });
    },
  });

  expect(built.attachment).toBe('csv.gz');
  expect(rendered).toEqual(['csv.gz']); // the plain CSV's base64 alone exceeds the limit: not built
  expect(built.raw.length).toBeLessThanOrEqual(SES_MAX_RAW_BYTES);

  const raw = built.raw.toString('latin1');
  const text = mimePart(raw, 'text/plain').body.toString('utf8');
  expect(text).toContain('Attachment: The full inventory is attached as a gzip-compressed CSV file (.csv.gz).');
  expect(text).toContain('DialNexa number audit - Acme Voice (large)');
  expect(text).toMatch(/^ {2}Numbers +200,000$/m);
  const html = mimePart(raw, 'text/html').body.toString('utf8');
  expect(html).toContain('gzip-compressed CSV file (.csv.gz)');

  const attachment = mimePart(raw, 'application/gzip');
  expect(attachment.headers).toMatch(/filename="?phone-numbers-2026-11-30\.csv\.gz"?/);
  expect(gunzipSync(attachment.body).toString('utf8')).toBe(csv.toString('utf8'));
}, 30_000);
