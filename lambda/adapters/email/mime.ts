// Builds the raw MIME for SES SendRawEmail, and keeps it under the SES size limit by shrinking
// the CSV attachment (gzip, then leave it out) instead of failing the run.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailAttachment, EmailMessage } from '../../core/ports';
import { singleLine } from '../../core/report/format';
import type { AttachmentMode } from '../../core/types';

/**
 * Largest raw message we hand to SES v1 SendRawEmail. The documented limit is 10 MB for the whole
 * message after encoding; we stop at 10,000,000 bytes rather than 10 MiB (10,485,760) so the
 * ~480 KB margin absorbs the headers SES adds (Message-ID, DKIM-Signature, Feedback-ID, ...)
 * and any doubt about which "MB" SES counts.
 */
export const SES_MAX_RAW_BYTES = 10_000_000;

export interface BuildMimeOptions {
  /** Written to the Date header; injected so output is reproducible. */
  date: Date;
  /** Domain of the Message-ID; without it MailComposer derives one from the From address. */
  messageIdDomain?: string;
}

/**
 * multipart/mixed( multipart/alternative(text, html), attachments... ). CR/LF must never reach a
 * header line (header injection): MailComposer already encodes them, and every header value also
 * goes through the report's singleLine as a second, independent defence.
 */
export async function buildMime(message: EmailMessage, options: BuildMimeOptions): Promise<Buffer> {
  const composer = new MailComposer({
    from: singleLine(message.from),
    to: message.to.map(singleLine),
    replyTo: message.replyTo?.length ? message.replyTo.map(singleLine) : undefined,
    subject: singleLine(message.subject),
    date: options.date,
    messageId: options.messageIdDomain ? `<${randomUUID()}@${singleLine(options.messageIdDomain)}>` : undefined,
    text: message.text,
    html: message.html,
    attachments: message.attachments.map((a) => ({
      filename: singleLine(a.filename),
      contentType: singleLine(a.contentType),
      content: a.content,
    })),
    // No library banner in the headers of a business report.
    xMailer: false,
    // Reading local files or URLs is never wanted: content is always in memory.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

/** Gzips the CSV for the `csv.gz` mode. */
export function gzipCsv(csv: string | Buffer): Buffer {
  return gzipSync(typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv, { level: 3 });
}

/**
 * The attachment list for a mode: the CSV as is, the CSV gzipped (`<filename>.gz`), or nothing.
 * The CSV is UTF-8 with the charset declared, so spreadsheet tools read non-ASCII names right.
 */
export function csvAttachments(mode: AttachmentMode, filename: string, csv: string | Buffer): EmailAttachment[] {
  if (mode === 'omitted') return [];
  if (mode === 'csv.gz') {
    return [{ filename: `${filename}.gz`, contentType: 'application/gzip', content: gzipCsv(csv) }];
  }
  return [
    {
      filename,
      contentType: 'text/csv; charset=utf-8',
      content: typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv,
    },
  ];
}

/**
 * Builds the message with the CSV as is, then gzipped, then left out, and returns the first that
 * fits in `maxBytes`. Never throws for size: without the CSV only the rendered report is left,
 * which is bounded, so `omitted` is returned even in the (impossible) case it were still too big.
 */
export async function composeWithinLimit(
  build: (mode: AttachmentMode) => Promise<Buffer> | Buffer,
  maxBytes: number = SES_MAX_RAW_BYTES,
  /** Size of the plain CSV: when its base64 alone cannot fit, the plain build is skipped. */
  csvBytes?: number,
): Promise<{ raw: Buffer; mode: AttachmentMode }> {
  for (const mode of ['csv', 'csv.gz'] as const) {
    // base64: 4 characters per 3 bytes, plus CRLF after every 76.
    if (mode === 'csv' && csvBytes !== undefined && Math.ceil(csvBytes / 3) * 4 * (78 / 76) > maxBytes) continue;
    const raw = await build(mode);
    if (raw.length <= maxBytes) return { raw, mode };
  }
  return { raw: await build('omitted'), mode: 'omitted' };
}
