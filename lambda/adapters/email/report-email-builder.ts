// The ReportEmailBuilder the core asks for: renders the report for an attachment mode, builds the
// MIME, and shrinks the CSV (as is -> gzipped -> left out) until the message fits SES.
import type { ReportEmailBuilder } from '../../core/ports';
import { buildMime, composeWithinLimit, csvAttachments, SES_MAX_RAW_BYTES } from './mime';

export interface ReportEmailBuilderOptions {
  /** Default SES_MAX_RAW_BYTES. */
  maxBytes?: number;
  /** Domain of the Message-ID; default derived from the From address. */
  messageIdDomain?: string;
  /** CSV file name for a run; default `phone-numbers-YYYY-MM-DD.csv` (UTC date of the run). */
  csvFilename?: (date: Date) => string;
}

export function createReportEmailBuilder(options: ReportEmailBuilderOptions = {}): ReportEmailBuilder {
  const maxBytes = options.maxBytes ?? SES_MAX_RAW_BYTES;
  const csvFilename = options.csvFilename ?? ((d: Date) => `phone-numbers-${d.toISOString().slice(0, 10)}.csv`);
  return {
    async build(input) {
      const filename = csvFilename(input.date);
      const { raw, mode } = await composeWithinLimit(
        (mode) => {
          const rendered = input.render(mode);
          return buildMime(
            {
              from: input.from,
              to: input.to,
              replyTo: input.replyTo,
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
              attachments: csvAttachments(mode, filename, input.csv),
            },
            { date: input.date, messageIdDomain: options.messageIdDomain },
          );
        },
        maxBytes,
        Buffer.byteLength(input.csv),
      );
      return { raw, attachment: mode };
    },
  };
}
