// The plain-text part: the same facts as the HTML for clients that show no HTML, and for grep.
// API text is flattened to one line per cell so a stray newline cannot break the columns.
import { agentName } from '../agents';
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import { hasChanges, type ChangedNumber, type Changes, type ValueChange } from '../changes';
import {
  ALL_NUMBER_TYPES,
  type AgentCheck,
  type AuditResult,
  type ListFilters,
  type NumberType,
  type PhoneNumber,
} from '../types';
import type { ChangesSection, WorkspaceAudit, WorkspaceFailure, WorkspaceOutcome } from '../workspace';
import { AGENT_ROWS_LIMIT, CHANGE_ROWS_LIMIT, unroutedLimit, type ReportContext } from './context';
import {
  AGENTS_SKIPPED,
  asSentence,
  CHANGES_SKIPPED,
  countryLabel,
  describeAttachment,
  describeChanges,
  describeCostSources,
  describeDeltas,
  describeFilters,
  FIRST_RUN_NOTE,
  formatCount,
  formatDateTime,
  formatReportDate,
  formatUsd,
  moreChangesNote,
  moreRowsNote,
  plural,
  singleLine,
  typeLabel,
} from './format';
import { changesCell, missingAgentsCell, reportTotals, routedByAgent, soleAudit, workspaceState } from './summary';

type Align = 'left' | 'right';
const INCOMPLETE_FALLBACK = 'The number listing did not match the total the API reported.';
type Options = Pick<ReportContext, 'timeZone' | 'attachment' | 'unroutedLimit'>;

function width(s: string): number {
  return Array.from(s).length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Columns padded to their widest cell, two spaces apart, a rule under the header. */
function table(headers: string[], aligns: Align[], rows: string[][], totals?: string[]): string[] {
  const all = totals ? [headers, ...rows, totals] : [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i] ?? 0, aligns[i] ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    '  ' + line(headers),
    '  ' + rule,
    ...rows.map((r) => '  ' + line(r)),
    ...(totals ? ['  ' + rule, '  ' + line(totals)] : []),
  ];
}

function section(title: string): string[] {
  return ['', title.toUpperCase(), '='.repeat(title.length)];
}

function typeText(n: { type: NumberType; typeInferred?: boolean }): string {
  return `${typeLabel(n.type)}${n.typeInferred ? '*' : ''}`;
}

function nicknameText(nickname: string | null): string {
  return nickname === null ? '-' : singleLine(nickname);
}

function agentText(check: AgentCheck | undefined, id: string | null): string {
  if (id === null) return 'none';
  return singleLine(agentName(check, id) ?? id);
}

// ---- Changes -------------------------------------------------------------------------------

function numberRows(title: string, rows: readonly ChangedNumber[], check: AgentCheck | undefined): string[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, CHANGE_ROWS_LIMIT);
  const out = [
    '',
    `${title} (${formatCount(rows.length)}):`,
    ...table(
      ['Number', 'Country', 'Type', 'Agent'],
      ['left', 'left', 'left', 'left'],
      shown.map((n) => [
        singleLine(n.phoneNumber),
        countryLabel(n.countryCode),
        typeText(n),
        agentText(check, n.inboundAgentId),
      ]),
    ),
  ];
  if (rows.length > shown.length) out.push(`  ${moreChangesNote(rows.length - shown.length)}.`);
  return out;
}

function valueRows(title: string, rows: readonly ValueChange[], value: (v: string | null) => string): string[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, CHANGE_ROWS_LIMIT);
  const out = [
    '',
    `${title} (${formatCount(rows.length)}):`,
    ...table(
      ['Number', 'Was', 'Now'],
      ['left', 'left', 'left'],
      shown.map((c) => [singleLine(c.phoneNumber), value(c.from), value(c.to)]),
    ),
  ];
  if (rows.length > shown.length) out.push(`  ${moreChangesNote(rows.length - shown.length)}.`);
  return out;
}

function phoneList(rows: readonly ChangedNumber[]): string {
  const shown = rows.slice(0, 10).map((n) => singleLine(n.phoneNumber));
  const rest = rows.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
}

function compared(changes: Changes, check: AgentCheck | undefined, timeZone: string): string[] {
  const out = section(`Changes since ${formatReportDate(new Date(changes.previousGeneratedAt), timeZone)}`);
  if (!hasChanges(changes)) return [...out, 'No changes: the same numbers, routed the same way, with the same status.'];
  const summary = describeChanges(changes);
  if (summary !== '') out.push(`${summary}.`);
  if (changes.newlyUnrouted.length > 0) {
    out.push(
      `! ${plural(changes.newlyUnrouted.length, 'number lost its', 'numbers lost their')} inbound agent: ${phoneList(changes.newlyUnrouted)}`,
    );
  }
  if (changes.newlyFixed.length > 0) {
    out.push(
      `${plural(changes.newlyFixed.length, 'number is', 'numbers are')} no longer unrouted: ${phoneList(changes.newlyFixed)}`,
    );
  }
  const { byCountry, byType } = changes.countDelta;
  if (Object.keys(byCountry).length > 0) out.push(`By country: ${describeDeltas(byCountry, countryLabel)}`);
  if (Object.keys(byType).length > 0) out.push(`By type: ${describeDeltas(byType, (t) => typeLabel(t as NumberType))}`);
  return [
    ...out,
    ...numberRows('Added', changes.added, check),
    ...numberRows('Removed', changes.removed, check),
    ...valueRows('Routing changed', changes.routingChanged, (id) => agentText(check, id)),
    ...valueRows('Status changed', changes.statusChanged, (s) => (s === null ? '(none)' : singleLine(s))),
  ];
}

function changesPart(changes: ChangesSection | undefined, check: AgentCheck | undefined, timeZone: string): string[] {
  if (!changes) return [];
  if (changes.status === 'compared') return compared(changes.changes, check, timeZone);
  if (changes.status === 'first-run') return [...section('Changes'), FIRST_RUN_NOTE];
  return [...section('Changes'), `${CHANGES_SKIPPED} ${asSentence(changes.reason)}`];
}

// ---- Findings ------------------------------------------------------------------------------

function unrouted(audit: AuditResult, options: Options): string[] {
  const out = section('Unrouted numbers');
  const all = audit.unrouted;
  if (all.length === 0) return [...out, 'None. Every active number has an inbound agent.'];
  const shown = all.slice(0, unroutedLimit(options));
  out.push(
    `${formatCount(all.length)} active number${all.length === 1 ? '' : 's'} with no inbound agent: a call to ${all.length === 1 ? 'it' : 'them'} is rejected. Assign an agent or release the number.`,
    '',
  );
  out.push(
    ...table(
      ['Number', 'Country', 'Type', 'Nickname'],
      ['left', 'left', 'left', 'left'],
      shown.map((n) => [n.phoneNumber, countryLabel(n.countryCode), typeText(n), nicknameText(n.nickname)]),
    ),
  );
  if (all.length > shown.length) out.push(`  ${moreRowsNote(all.length - shown.length, options.attachment)}.`);
  if (shown.some((n) => n.typeInferred)) out.push('  * type worked out from the number; the API did not give one.');
  return out;
}

function missingAgents(check: AgentCheck | undefined, options: Options): string[] {
  if (!check) return [];
  const out = section('Routed to a missing agent');
  if (check.status === 'skipped') return [...out, `${AGENTS_SKIPPED} ${asSentence(check.reason)}`];
  const all = check.missing;
  if (all.length === 0)
    return [
      ...out,
      `None. Every routed number points at one of the workspace's ${plural(check.agentCount, 'agent', 'agents')}.`,
    ];
  const shown = all.slice(0, unroutedLimit(options));
  out.push(
    `${formatCount(all.length)} number${all.length === 1 ? ' points' : 's point'} at an agent that does not exist in the workspace, so ${all.length === 1 ? 'it looks' : 'they look'} routed but calls fail. Assign an existing agent.`,
    '',
  );
  out.push(
    ...table(
      ['Number', 'Country', 'Agent id', 'Nickname'],
      ['left', 'left', 'left', 'left'],
      shown.map((n) => [
        n.phoneNumber,
        countryLabel(n.countryCode),
        agentText(undefined, n.inboundAgentId),
        nicknameText(n.nickname),
      ]),
    ),
  );
  if (all.length > shown.length) out.push(`  ${moreRowsNote(all.length - shown.length, options.attachment)}.`);
  return out;
}

function byAgent(numbers: readonly PhoneNumber[], check: AgentCheck | undefined): string[] {
  const ordered = routedByAgent(numbers, check);
  if (ordered.length === 0) return [];
  const shown = ordered.slice(0, AGENT_ROWS_LIMIT);
  const out = [
    ...section('Routed numbers by agent'),
    'The CSV names the agent of every number (inbound_agent_name).',
    '',
    ...table(
      ['Agent', 'Id', 'Numbers'],
      ['left', 'left', 'right'],
      shown.map((a) => [singleLine(a.name ?? '(no name)'), singleLine(a.id), formatCount(a.numbers)]),
    ),
  ];
  if (ordered.length > shown.length)
    out.push(
      `  and ${plural(ordered.length - shown.length, 'more agent', 'more agents')}; the CSV names the agent of every number.`,
    );
  return out;
}

// ---- Inventory -----------------------------------------------------------------------------

function matrix(audit: AuditResult): string[] {
  const out = section('Numbers by country and type');
  if (audit.total === 0) return [...out, 'No numbers matched.'];
  return [
    ...out,
    ...table(
      ['Country', ...ALL_NUMBER_TYPES.map(typeLabel), 'Total'],
      ['left', ...ALL_NUMBER_TYPES.map((): Align => 'right'), 'right'],
      Object.entries(audit.byCountryType).map(([code, cells]) => [
        singleLine(countryLabel(code)),
        ...ALL_NUMBER_TYPES.map((t) => formatCount(cells[t])),
        formatCount(audit.byCountry[code] ?? 0),
      ]),
      ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)],
    ),
  ];
}

function cost(audit: AuditResult): string[] {
  const { cost: c } = audit;
  const out = section(c.knownCount === 0 ? 'Monthly cost' : 'Monthly cost (USD)');
  if (c.knownCount === 0) {
    return [
      ...out,
      audit.total === 0
        ? 'No numbers matched.'
        : 'No monthly cost is known for any number: the API gave none and no rate card priced them.',
    ];
  }
  out.push(
    c.unknownCount === 0
      ? `Known for all ${formatCount(c.knownCount)} numbers.`
      : `Known for ${formatCount(c.knownCount)} of ${formatCount(audit.total)} numbers; ${formatCount(c.unknownCount)} without a cost are not included.`,
    `Cost sources: ${describeCostSources(c.sources)}.`,
    '',
  );
  const types = ALL_NUMBER_TYPES.filter((t) => t in c.byType);
  out.push(
    ...table(
      ['Country', ...types.map(typeLabel), 'Total'],
      ['left', ...types.map((): Align => 'right'), 'right'],
      Object.entries(c.byCountryType).map(([code, cells]) => [
        singleLine(countryLabel(code)),
        ...types.map((t) => (t in cells ? formatUsd(cells[t] ?? 0) : '-')),
        formatUsd(c.byCountry[code] ?? 0),
      ]),
      ['Total', ...types.map((t) => formatUsd(c.byType[t] ?? 0)), formatUsd(c.totalMonthly)],
    ),
  );
  return out;
}

function status(audit: AuditResult): string[] {
  const out = section('Status');
  if (audit.total === 0) return [...out, 'No numbers matched.'];
  const notActive = audit.notActive.length;
  out.push(
    notActive > 0
      ? `${formatCount(notActive)} number${notActive === 1 ? ' is' : 's are'} not active (pending, expired, ...) and never counted as unrouted.`
      : 'Every number is active or has no status.',
    '',
  );
  out.push(
    ...table(
      ['Status', 'Numbers'],
      ['left', 'right'],
      Object.entries(audit.byStatus).map(([s, n]) => [
        s === NO_STATUS ? '(no status given)' : singleLine(s),
        formatCount(n),
      ]),
    ),
    '',
    ...table(
      ['Provider', 'Numbers'],
      ['left', 'right'],
      Object.entries(audit.byProvider).map(([p, n]) => [
        p === UNKNOWN_PROVIDER ? '(not given)' : singleLine(p),
        formatCount(n),
      ]),
    ),
  );
  return out;
}

// ---- Sections ------------------------------------------------------------------------------

function figures(ws: WorkspaceAudit): string[] {
  const { audit } = ws;
  const countries = Object.keys(audit.byCountry).filter((c) => c !== 'unknown').length;
  const rows = [
    ['Numbers', formatCount(audit.total)],
    ['Unrouted', formatCount(audit.unrouted.length)],
  ];
  if (ws.agents?.status === 'checked') rows.push(['Routed to a missing agent', formatCount(ws.agents.missing.length)]);
  rows.push(
    ['Not active', formatCount(audit.notActive.length)],
    ['Countries', formatCount(countries)],
    ['Monthly cost (known)', formatUsd(audit.cost.totalMonthly)],
    ['Numbers without a cost', formatCount(audit.cost.unknownCount)],
  );
  return table(['Figure', 'Value'], ['left', 'right'], rows);
}

function auditedBody(ws: WorkspaceAudit, options: Options): string[] {
  return [
    ...changesPart(ws.changes, ws.agents, options.timeZone),
    ...unrouted(ws.audit, options),
    ...missingAgents(ws.agents, options),
    ...byAgent(ws.numbers, ws.agents),
    ...matrix(ws.audit),
    ...cost(ws.audit),
    ...status(ws.audit),
  ];
}

function failure(ws: WorkspaceFailure): string[] {
  return [
    'This workspace could not be audited.',
    singleLine(ws.error.message),
    `Error code: ${singleLine(ws.error.code)}. None of its numbers are in this report or the CSV.`,
  ];
}

function scopeLine(filters: ListFilters): string {
  const described = describeFilters(filters);
  return described === 'all numbers' ? 'All numbers in the workspace' : `Filtered: ${described}`;
}

function incompleteLine(ws: WorkspaceAudit): string[] {
  if (ws.complete) return [];
  return [
    `Incomplete listing: ${singleLine(ws.incompleteReason ?? INCOMPLETE_FALLBACK)} The figures below may be missing numbers.`,
  ];
}

function workspaceBlock(ws: WorkspaceOutcome, index: number, of: number, options: Options): string[] {
  const title = `WORKSPACE ${index + 1} OF ${of}: ${singleLine(ws.name)}`;
  const head = ['', '', '#'.repeat(Math.min(72, width(title))), title];
  if (!ws.ok) return [...head, ...failure(ws)];
  return [...head, scopeLine(ws.filters), ...incompleteLine(ws), '', ...figures(ws), ...auditedBody(ws, options)];
}

function combined(workspaces: readonly WorkspaceOutcome[]): string[] {
  const t = reportTotals(workspaces);
  return table(
    ['Workspace', 'Total', 'Unrouted', 'Missing agents', 'Changes', 'Status'],
    ['left', 'right', 'right', 'right', 'right', 'left'],
    workspaces.map((w) =>
      w.ok
        ? [
            singleLine(w.name),
            formatCount(w.audit.total),
            formatCount(w.audit.unrouted.length),
            missingAgentsCell(w),
            changesCell(w),
            workspaceState(w),
          ]
        : [singleLine(w.name), '-', '-', '-', '-', workspaceState(w)],
    ),
    ['Total', formatCount(t.numbers), formatCount(t.unrouted), formatCount(t.missingAgents), '', ''],
  );
}

function incompleteHead(workspaces: readonly WorkspaceOutcome[]): string[] {
  const incomplete = workspaces.filter((w): w is WorkspaceAudit => w.ok && !w.complete);
  if (incomplete.length === 0) return [];
  const reason = (w: WorkspaceAudit) => singleLine(w.incompleteReason ?? INCOMPLETE_FALLBACK);
  const lines =
    workspaces.length === 1
      ? [`INCOMPLETE REPORT: ${reason(incomplete[0] as WorkspaceAudit)}`]
      : ['INCOMPLETE REPORT:', ...incomplete.map((w) => `  ${singleLine(w.name)}: ${reason(w)}`)];
  return [...lines, 'Do not act on missing numbers: some may not be listed.', ''];
}

export function renderText(ctx: ReportContext): string {
  const { workspaces } = ctx;
  const date = formatReportDate(ctx.generatedAt, ctx.timeZone);
  const only = soleAudit(workspaces);
  const body: string[] = [...incompleteHead(workspaces)];
  if (only) {
    body.push(
      `DialNexa number audit - ${singleLine(only.name)}`,
      `${date} - ${scopeLine(only.filters)}`,
      ...incompleteLine(only),
      '',
      ...figures(only),
      ...auditedBody(only, ctx),
    );
  } else {
    const t = reportTotals(workspaces);
    const missing = t.missingAgents > 0 ? `, ${formatCount(t.missingAgents)} routed to a missing agent` : '';
    const failed = t.failed > 0 ? `, ${plural(t.failed, 'workspace', 'workspaces')} failed` : '';
    body.push(
      `DialNexa number audit - ${formatCount(t.workspaces)} workspaces`,
      date,
      '',
      `${formatCount(t.numbers)} numbers, ${formatCount(t.unrouted)} unrouted${missing}${failed}.`,
      '',
      ...combined(workspaces),
      '  Changes: numbers added (+) and removed (-) since the previous report. Each workspace has its own section below.',
      ...workspaces.flatMap((w, i) => workspaceBlock(w, i, workspaces.length, ctx)),
    );
  }
  const where = only
    ? [`Workspace: ${singleLine(only.name)}`, `Scope: ${describeFilters(only.filters)}`]
    : [`Workspaces: ${workspaces.map((w) => singleLine(w.name)).join(', ')}`];
  const foot = [
    '',
    '--',
    `Generated: ${formatDateTime(ctx.generatedAt, ctx.timeZone)}`,
    ...where,
    `Attachment: ${singleLine(describeAttachment(ctx.attachment, ctx.attachmentNote))}`,
    `On demand: ${singleLine(ctx.onDemandHint)}`,
    'Unrouted means active (or without a status) and with no inbound agent. Types marked * were worked out from the number.',
  ];
  return [...body, ...foot].join('\n') + '\n';
}
