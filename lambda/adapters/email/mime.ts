// Builds the raw MIME for SES SendRawEmail, and keeps it under the SES size limit by shrinking
// the CSV attachment (gzip, then leave it out) instead of failing the run.
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailAttachment, EmailMessage } from '../../core/ports';
import { singleLine } from '../../core/report/format';
import { parallelGzip } from './parallel-gzip';
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

/**
 * The attachment list for a mode: the CSV as is, the CSV gzipped (`<filename>.gz`), or nothing.
 * The CSV is UTF-8 with the charset declared, so spreadsheet tools read non-ASCII names right.
 */
export async function csvAttachments(mode: AttachmentMode, filename: string, csv: Buffer): Promise<EmailAttachment[]> {
  if (mode === 'omitted' || mode === 'summary') return [];
  if (mode === 'csv.gz') {
    // In the thread pool, while the run renders on.
    return [{ filename: `${filename}.gz`, contentType: 'application/gzip', content: await parallelGzip(csv) }];
  }
  return [
    {
      filename,
      contentType: 'text/csv; charset=utf-8',
      content: csv,
    },
  ];
}

/** One way to try the message: an attachment mode and which CSV goes with it. */
export interface FitAttempt {
  mode: AttachmentMode;
  /** The CSV's bytes for `csv` / `csv.gz`; absent for `omitted` and `summary`. */
  csv?: Buffer;
  csvCut: boolean;
}

/**
 * The attempts in order of preference: the CSV with full texts as is, then gzipped; the CSV with
 * long texts cut, as is, then gzipped (only when cutting changes it); no CSV; headline figures only.
 */
export function* fitAttempts(csv: Buffer, cutCsv?: () => Buffer): Generator<FitAttempt> {
  yield { mode: 'csv', csv, csvCut: false };
  yield { mode: 'csv.gz', csv, csvCut: false };
  if (cutCsv) {
    const cut = cutCsv();
    yield { mode: 'csv', csv: cut, csvCut: true };
    yield { mode: 'csv.gz', csv: cut, csvCut: true };
  }
  yield { mode: 'omitted', csvCut: false };
  yield { mode: 'summary', csvCut: false };
}

/** base64 of `bytes`: 4 characters per 3 bytes, plus CRLF after every 76. */
function base64Bytes(bytes: number): number {
  return Math.ceil(bytes / 3) * 4 * (78 / 76);
}

/**
 * Builds the message for each attempt in turn and returns the first that fits in `maxBytes`. The
 * last attempt (headline figures only) is bounded by design, far under the limit; if even it does
 * not fit, that is a bug, and it is said as one rather than handed to SES to refuse.
 */
export async function composeWithinLimit(
  build: (attempt: FitAttempt) => Promise<Buffer> | Buffer,
  attempts: Iterable<FitAttempt>,
  maxBytes: number = SES_MAX_RAW_BYTES,
): Promise<{ raw: Buffer; attempt: FitAttempt }> {
  let last: { raw: Buffer; attempt: FitAttempt } | undefined;
  for (const attempt of attempts) {
    // A plain CSV whose base64 alone cannot fit is not worth building.
    if (attempt.mode === 'csv' && attempt.csv !== undefined && base64Bytes(attempt.csv.length) > maxBytes) continue;
    last = { raw: await build(attempt), attempt };
    if (last.raw.length <= maxBytes) return last;
  }
  if (!last) throw new Error('composeWithinLimit: no attempt to make');
  throw new Error(
    `even the headline-figures email is ${last.raw.length} bytes, over the ${maxBytes}-byte limit: ` +
      'something in the report is not bounded (a bug); nothing was sent',
  );
}
