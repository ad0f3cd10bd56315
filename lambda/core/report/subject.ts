// The subject carries the key facts so the inbox alone tells whether to act. It is a header
// line: no CR/LF may ever reach it (header injection), and it stays short enough to read.
import type { ListFilters } from '../types';
import { actionReasons } from '../workspace';
import { triggersOf, type ReportContext } from './context';
import { formatCount, formatReportDate, singleLine, truncate, typeLabel } from './format';
import { reportTotals, soleAudit } from './summary';

export const SUBJECT_MAX_LENGTH = 200;
const WORKSPACE_MAX_LENGTH = 60;
const SEPARATOR = ' - ';

function scope(filters: ListFilters | undefined): string {
  const bits: string[] = [];
  if (filters?.countryCode) bits.push(filters.countryCode);
  if (filters?.type) bits.push(typeLabel(filters.type).toLowerCase());
  return bits.length ? ` (${bits.join(', ')})` : '';
}

function findings(missingAgents: number, removed: number): string {
  const missing = missingAgents > 0 ? `, ${formatCount(missingAgents)} to missing agents` : '';
  return `${missing}${removed > 0 ? `, ${formatCount(removed)} removed` : ''}`;
}

export function renderSubject(ctx: ReportContext): string {
  const { workspaces } = ctx;
  const totals = reportTotals(workspaces);
  const action = actionReasons(workspaces, triggersOf(ctx)).length > 0 ? '[Action needed] ' : '';
  const verify = totals.held > 0 ? '[VERIFY] ' : '';
  const prefixes = `${totals.incomplete > 0 ? '[INCOMPLETE] ' : ''}${verify}${action}`;
  // "complete, unverified": the count is what the API listed, with nothing to confirm it.
  const total = `total${totals.unverified > 0 ? ' (unverified)' : ''}`;
  const date = formatReportDate(ctx.generatedAt, ctx.timeZone);
  const only = soleAudit(workspaces);
  if (!only) {
    const filters = workspaces.find((w) => w.ok)?.filters;
    const facts =
      `DialNexa numbers${scope(filters)}: ${formatCount(totals.workspaces)} workspaces, ${formatCount(totals.numbers)} ${total}, ` +
      `${formatCount(totals.unrouted)} unrouted${findings(totals.missingAgents, totals.removed)}` +
      `${totals.failed > 0 ? `, ${formatCount(totals.failed)} failed` : ''}`;
    return truncate(singleLine(`${prefixes}${facts}${SEPARATOR}${date}`), SUBJECT_MAX_LENGTH);
  }
  const facts =
    `DialNexa numbers${scope(only.filters)}: ${formatCount(totals.numbers)} ${total}, ` +
    `${formatCount(totals.unrouted)} unrouted${findings(totals.missingAgents, totals.removed)}`;
  const head = singleLine(`${prefixes}${facts}`);
  // The name gets what the facts and the date leave, so the date always survives.
  const room = Math.min(
    WORKSPACE_MAX_LENGTH,
    SUBJECT_MAX_LENGTH - Array.from(head).length - Array.from(date).length - 2 * SEPARATOR.length,
  );
  const name = room > 1 ? truncate(singleLine(only.name), room) : '';
  return truncate([head, name, date].filter((s) => s !== '').join(SEPARATOR), SUBJECT_MAX_LENGTH);
}
