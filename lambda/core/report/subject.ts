// The subject carries the key facts so the inbox alone tells whether to act. It is a header
// line: no CR/LF may ever reach it (header injection), and it stays short enough to read.
import { formatCount, formatReportDate, singleLine, truncate, typeLabel } from './format';
import type { ReportContext } from './context';

export const SUBJECT_MAX_LENGTH = 200;
const WORKSPACE_MAX_LENGTH = 60;

function scope(ctx: ReportContext): string {
  const bits: string[] = [];
  if (ctx.filters.countryCode) bits.push(ctx.filters.countryCode);
  if (ctx.filters.type) bits.push(typeLabel(ctx.filters.type).toLowerCase());
  return bits.length ? ` (${bits.join(', ')})` : '';
}

export function renderSubject(ctx: ReportContext): string {
  const { audit } = ctx;
  const prefixes = [ctx.complete ? '' : '[INCOMPLETE] ', audit.unrouted.length > 0 ? '[Action needed] ' : ''].join('');
  const facts = `DialNexa numbers${scope(ctx)}: ${formatCount(audit.total)} total, ${formatCount(audit.unrouted.length)} unrouted`;
  const workspace = truncate(singleLine(ctx.workspaceName), WORKSPACE_MAX_LENGTH);
  const date = formatReportDate(ctx.generatedAt, ctx.timeZone);
  const subject = [`${prefixes}${facts}`, workspace, date].filter((s) => s !== '').join(' - ');
  return truncate(singleLine(subject), SUBJECT_MAX_LENGTH);
}
