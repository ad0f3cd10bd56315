// The ReportEmailBuilder the core asks for: renders the report for an attachment mode, builds the
// MIME, and shrinks it (CSV as is -> gzipped -> long texts cut -> left out -> headline figures
// only) until the message fits SES.
import type { ReportEmailBuilder } from '../../core/ports';
import { buildMime, composeWithinLimit, csvAttachments, fitAttempts, SES_MAX_RAW_BYTES } from './mime';

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
      const { raw, attempt } = await composeWithinLimit(
        async ({ mode, csv, csvCut }) => {
          // Started first: a gzip runs in the thread pool while the bodies render.
          const attachments = csv === undefined ? Promise.resolve([]) : csvAttachments(mode, filename, csv);
          // Awaited below; if rendering throws first, a failed gzip must not be an unhandled rejection.
          attachments.catch(() => undefined);
          const rendered = input.render({ attachment: mode, csvCut });
          return buildMime(
            {
              from: input.from,
              to: input.to,
              replyTo: input.replyTo,
              subject: rendered.subject,
              text: rendered.text,
              html: rendered.html,
              attachments: await attachments,
            },
            { date: input.date, messageIdDomain: options.messageIdDomain },
          );
        },
        fitAttempts(input.csv, input.cutCsv),
        maxBytes,
      );
      return { raw, attachment: attempt.mode, csvCut: attempt.csvCut };
    },
  };
}
