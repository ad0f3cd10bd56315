// One workspace's part of the HTML email, as rows of the 600 px container: self-contained, so
// one email stacks as many workspaces as the configuration lists.
import { agentName } from '../agents';
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import type { Changes, ChangedNumber, ValueChange } from '../changes';
import { hasChanges } from '../changes';
import {
  ALL_NUMBER_TYPES,
  type AgentCheck,
  type AttachmentMode,
  type AuditResult,
  type ListFilters,
  type NumberType,
  type PhoneNumber,
} from '../types';
import type { ChangesSection, WorkspaceAudit, WorkspaceFailure, WorkspaceOutcome } from '../workspace';
import { routedByAgent } from './summary';
import { AGENT_ROWS_LIMIT, CHANGE_ROWS_LIMIT, unroutedLimit, type ReportContext } from './context';
import {
  AGENTS_SKIPPED,
  asSentence,
  CHANGES_SKIPPED,
  countryLabel,
  describeChanges,
  describeCostSources,
  describeDeltas,
  describeFilters,
  FIRST_RUN_NOTE,
  formatCount,
  formatReportDate,
  formatUsd,
  moreChangesNote,
  moreRowsNote,
  plural,
  typeLabel,
} from './format';
import {
  BAD,
  callout,
  card,
  count,
  countryCell,
  dataTable,
  escapeHtml,
  faint,
  FONT,
  GOOD,
  GREEN,
  heading,
  INK,
  MONO,
  MUTED,
  NEUTRAL,
  numberCell,
  paragraph,
  RED,
  spacer,
  subheading,
  tile,
  WARN,
  TABLE,
  type Cell,
  type Column,
} from './html-kit';

export type SectionOptions = Pick<ReportContext, 'timeZone' | 'attachment' | 'unroutedLimit'>;

function typeCell(n: { type: NumberType; typeInferred?: boolean }): Cell {
  return `${escapeHtml(typeLabel(n.type))}${n.typeInferred ? `<span style="color:${MUTED};">*</span>` : ''}`;
}

function nicknameCell(nickname: string | null): Cell {
  return nickname === null ? faint('-') : escapeHtml(nickname);
}

/** The agent's name when known, else its id; "none" in red for no agent. */
function agentCell(check: AgentCheck | undefined, id: string | null): Cell {
  if (id === null) return `<span style="color:${RED};font-weight:600;">none</span>`;
  const name = agentName(check, id);
  return name === null
    ? `<span style="${MONO}font-size:12px;word-break:break-all;">${escapeHtml(id)}</span>`
    : escapeHtml(name);
}

function headline(audit: AuditResult): string {
  const unrouted = audit.unrouted.length;
  const countries = Object.keys(audit.byCountry).filter((c) => c !== 'unknown').length;
  const unknownCountry = audit.byCountry.unknown ?? 0;
  const costSub =
    audit.cost.unknownCount === 0
      ? 'all numbers priced'
      : `${escapeHtml(formatCount(audit.cost.unknownCount))} without a cost`;
  return card(`<table ${TABLE}><tr>
${tile('Numbers', formatCount(audit.total), `${escapeHtml(formatCount(audit.notActive.length))} not active`, NEUTRAL)}
${tile('Unrouted', formatCount(unrouted), unrouted > 0 ? 'calls to these are rejected' : 'every active number has an agent', unrouted > 0 ? BAD : GOOD)}
</tr><tr>
${tile('Countries', formatCount(countries), unknownCountry > 0 ? `+ ${escapeHtml(formatCount(unknownCountry))} without a country` : 'with numbers', NEUTRAL)}
${tile('Monthly cost', formatUsd(audit.cost.totalMonthly), costSub, NEUTRAL)}
</tr></table>`);
}

// ---- Changes -------------------------------------------------------------------------------

function capped<T>(rows: readonly T[], limit = CHANGE_ROWS_LIMIT): { shown: readonly T[]; more: string } {
  const shown = rows.slice(0, limit);
  return {
    shown,
    more: rows.length > shown.length ? paragraph(escapeHtml(`${moreChangesNote(rows.length - shown.length)}.`)) : '',
  };
}

function numberList(title: string, rows: readonly ChangedNumber[], check: AgentCheck | undefined, color = INK): string {
  if (rows.length === 0) return '';
  const { shown, more } = capped(rows);
  const table = dataTable(
    [
      { label: 'Number', align: 'left' },
      { label: 'Country', align: 'left' },
      { label: 'Type', align: 'left' },
      { label: 'Agent', align: 'left', width: '35%', wrap: true },
    ],
    shown.map((n) => [
      numberCell(n.phoneNumber),
      escapeHtml(countryLabel(n.countryCode)),
      typeCell(n),
      agentCell(check, n.inboundAgentId),
    ]),
    { padding: '6px 6px' },
  );
  return `${subheading(`${title} (${formatCount(rows.length)})`, color)}${table}${more}`;
}

function valueList(title: string, rows: readonly ValueChange[], cell: (value: string | null) => Cell): string {
  if (rows.length === 0) return '';
  const { shown, more } = capped(rows);
  const table = dataTable(
    [
      { label: 'Number', align: 'left' },
      { label: 'Was', align: 'left', width: '30%', wrap: true },
      { label: 'Now', align: 'left', width: '30%', wrap: true },
    ],
    shown.map((c) => [numberCell(c.phoneNumber), cell(c.from), cell(c.to)]),
    { padding: '6px 6px' },
  );
  return `${subheading(`${title} (${formatCount(rows.length)})`)}${table}${more}`;
}

function phoneList(rows: readonly ChangedNumber[]): string {
  const { shown } = capped(rows, 10);
  const rest = rows.length - shown.length;
  return `${shown.map((n) => `<span style="${MONO}white-space:nowrap;">${escapeHtml(n.phoneNumber)}</span>`).join(', ')}${rest > 0 ? escapeHtml(` and ${formatCount(rest)} more`) : ''}`;
}

function comparedChanges(changes: Changes, check: AgentCheck | undefined, timeZone: string): string {
  const since = `Changes since ${formatReportDate(new Date(changes.previousGeneratedAt), timeZone)}`;
  if (!hasChanges(changes))
    return card(
      `${heading(since)}${paragraph('No changes: the same numbers, routed the same way, with the same status.', INK)}`,
    );
  const summary = describeChanges(changes);
  const calls: string[] = [];
  if (changes.newlyUnrouted.length > 0) {
    const n = changes.newlyUnrouted.length;
    calls.push(
      callout(
        `<strong style="color:${RED};">${escapeHtml(plural(n, 'number lost its', 'numbers lost their'))} inbound agent:</strong> ${phoneList(changes.newlyUnrouted)}`,
        BAD,
      ),
    );
  }
  if (changes.newlyFixed.length > 0) {
    const n = changes.newlyFixed.length;
    calls.push(
      callout(
        `<strong style="color:${GREEN};">${escapeHtml(plural(n, 'number is', 'numbers are'))} no longer unrouted:</strong> ${phoneList(changes.newlyFixed)}`,
        GOOD,
      ),
    );
  }
  const deltas = changes.countDelta;
  const deltaLines = [
    Object.keys(deltas.byCountry).length > 0
      ? `<strong>By country:</strong> ${escapeHtml(describeDeltas(deltas.byCountry, countryLabel))}`
      : '',
    Object.keys(deltas.byType).length > 0
      ? `<strong>By type:</strong> ${escapeHtml(describeDeltas(deltas.byType, (t) => typeLabel(t as NumberType)))}`
      : '',
  ].filter((s) => s !== '');
  const counts = deltaLines.length > 0 ? paragraph(deltaLines.join('<br>'), INK) : '';
  const status = (v: string | null) => (v === null ? faint('(none)') : escapeHtml(v));
  return card(
    [
      heading(since, summary === '' ? undefined : `${escapeHtml(summary)}.`),
      ...calls,
      counts,
      numberList('Added', changes.added, check),
      numberList('Removed', changes.removed, check, RED),
      valueList('Routing changed', changes.routingChanged, (id) => agentCell(check, id)),
      valueList('Status changed', changes.statusChanged, status),
    ].join(''),
  );
}

function changesSection(section: ChangesSection | undefined, check: AgentCheck | undefined, timeZone: string): string {
  if (!section) return '';
  if (section.status === 'compared') return comparedChanges(section.changes, check, timeZone);
  if (section.status === 'first-run') return card(`${heading('Changes')}${paragraph(escapeHtml(FIRST_RUN_NOTE), INK)}`);
  return card(
    `${heading('Changes')}${callout(`<strong style="color:${WARN.fg};">${escapeHtml(CHANGES_SKIPPED)}</strong> ${escapeHtml(asSentence(section.reason))}`, WARN)}`,
  );
}

// ---- Findings ------------------------------------------------------------------------------

function unroutedSection(audit: AuditResult, limit: number, attachment: AttachmentMode): string {
  const all = audit.unrouted;
  if (all.length === 0) {
    return card(
      `${heading('Unrouted numbers')}${paragraph(`<span style="color:${GREEN};font-weight:600;">None.</span> Every active number has an inbound agent.`, INK)}`,
    );
  }
  const shown = all.slice(0, limit);
  const table = dataTable(
    [
      { label: 'Number', align: 'left' },
      { label: 'Country', align: 'left' },
      { label: 'Type', align: 'left' },
      { label: 'Nickname', align: 'left', width: '35%', wrap: true },
    ],
    shown.map((n) => [
      numberCell(n.phoneNumber),
      escapeHtml(countryLabel(n.countryCode)),
      typeCell(n),
      nicknameCell(n.nickname),
    ]),
    // 4 px sides: with 6 px, a long number plus a long nickname word is wider than a 375 px phone.
    { padding: '6px 4px' },
  );
  const more =
    all.length > shown.length
      ? paragraph(`<strong>${escapeHtml(moreRowsNote(all.length - shown.length, attachment))}.</strong>`, INK)
      : '';
  const inferred = shown.some((n) => n.typeInferred)
    ? paragraph('* type worked out from the number; the API did not give one.')
    : '';
  const note = `${escapeHtml(formatCount(all.length))} active number${all.length === 1 ? '' : 's'} with no inbound agent: a call to ${all.length === 1 ? 'it' : 'them'} is rejected. Assign an agent or release the number.`;
  return card(`${heading('Unrouted numbers', note)}${spacer(8)}${table}${more}${inferred}`);
}

function missingAgentSection(check: AgentCheck | undefined, limit: number, attachment: AttachmentMode): string {
  if (!check) return '';
  if (check.status === 'skipped') {
    return card(
      `${heading('Routed to a missing agent')}${callout(`<strong style="color:${WARN.fg};">${escapeHtml(AGENTS_SKIPPED)}</strong> ${escapeHtml(asSentence(check.reason))}`, WARN)}`,
    );
  }
  const all = check.missing;
  if (all.length === 0) {
    return card(
      `${heading('Routed to a missing agent')}${paragraph(`<span style="color:${GREEN};font-weight:600;">None.</span> ${escapeHtml(`Every routed number points at one of the workspace's ${plural(check.agentCount, 'agent', 'agents')}.`)}`, INK)}`,
    );
  }
  const shown = all.slice(0, limit);
  const table = dataTable(
    [
      { label: 'Number', align: 'left' },
      { label: 'Country', align: 'left' },
      { label: 'Agent id', align: 'left', width: '30%', wrap: true },
      { label: 'Nickname', align: 'left', width: '25%', wrap: true },
    ],
    shown.map((n) => [
      numberCell(n.phoneNumber),
      escapeHtml(countryLabel(n.countryCode)),
      agentCell(undefined, n.inboundAgentId),
      nicknameCell(n.nickname),
    ]),
    { padding: '6px 6px' },
  );
  const more =
    all.length > shown.length
      ? paragraph(`<strong>${escapeHtml(moreRowsNote(all.length - shown.length, attachment))}.</strong>`, INK)
      : '';
  const note = `${escapeHtml(formatCount(all.length))} number${all.length === 1 ? ' points' : 's point'} at an agent that does not exist in the workspace, so ${all.length === 1 ? 'it looks' : 'they look'} routed but calls fail. Assign an existing agent.`;
  return card(`${heading('Routed to a missing agent', note)}${spacer(8)}${table}${more}`);
}

/** Routed numbers per agent, biggest first: where the traffic goes, by name. */
function agentsSection(numbers: readonly PhoneNumber[], check: AgentCheck | undefined): string {
  const ordered = routedByAgent(numbers, check);
  if (ordered.length === 0) return '';
  const shown = ordered.slice(0, AGENT_ROWS_LIMIT);
  const rows = shown.map(({ id, name, numbers: n }) => {
    const label = name === null ? `${faint('(no name)')}` : `<strong>${escapeHtml(name)}</strong>`;
    return [
      `${label}<br><span style="${MONO}font-size:11px;line-height:14px;color:${MUTED};word-break:break-all;">${escapeHtml(id)}</span>`,
      formatCount(n),
    ];
  });
  const rest = ordered.length - shown.length;
  const more =
    rest > 0
      ? paragraph(
          escapeHtml(`and ${plural(rest, 'more agent', 'more agents')}; the CSV names the agent of every number.`),
        )
      : '';
  return card(
    `${heading('Routed numbers by agent', 'The CSV names the agent of every number (inbound_agent_name).')}${spacer(8)}${dataTable(
      [
        { label: 'Agent', align: 'left', wrap: true },
        { label: 'Numbers', align: 'right' },
      ],
      rows,
    )}${more}`,
  );
}

// ---- Inventory -----------------------------------------------------------------------------

function matrixSection(audit: AuditResult): string {
  const columns: Column[] = [
    { label: 'Country', align: 'left', width: '28%' },
    ...ALL_NUMBER_TYPES.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
    { label: 'Total', align: 'right' },
  ];
  const rows = Object.entries(audit.byCountryType).map(([code, cells]) => [
    countryCell(code),
    ...ALL_NUMBER_TYPES.map((t) => count(cells[t])),
    `<strong>${formatCount(audit.byCountry[code] ?? 0)}</strong>`,
  ]);
  const totals = ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)];
  const body =
    audit.total === 0
      ? paragraph('No numbers matched.')
      : `${spacer(8)}${dataTable(columns, rows, { totals, padding: '6px 4px' })}`;
  return card(`${heading('Numbers by country and type')}${body}`);
}

function costSection(audit: AuditResult): string {
  const { cost } = audit;
  if (cost.knownCount === 0) {
    return card(
      `${heading('Monthly cost')}${paragraph(audit.total === 0 ? 'No numbers matched.' : 'No monthly cost is known for any number: the API gave none and no rate card priced them.')}`,
    );
  }
  const note =
    cost.unknownCount === 0
      ? `Known for all ${escapeHtml(formatCount(cost.knownCount))} numbers.`
      : `Known for ${escapeHtml(formatCount(cost.knownCount))} of ${escapeHtml(formatCount(audit.total))} numbers; ${escapeHtml(formatCount(cost.unknownCount))} without a cost are not included.`;
  const sources = `Cost sources: ${escapeHtml(describeCostSources(cost.sources))}.`;
  const byCountry = dataTable(
    [
      { label: 'Country', align: 'left' },
      { label: 'Per month', align: 'right' },
    ],
    Object.entries(cost.byCountry).map(([c, usd]) => [countryCell(c), formatUsd(usd)]),
    { totals: ['Total', formatUsd(cost.totalMonthly)] },
  );
  const byType = dataTable(
    [
      { label: 'Type', align: 'left' },
      { label: 'Per month', align: 'right' },
    ],
    ALL_NUMBER_TYPES.filter((t) => t in cost.byType).map((t) => [
      escapeHtml(typeLabel(t)),
      formatUsd(cost.byType[t] ?? 0),
    ]),
  );
  return card(
    `${heading('Monthly cost (USD)', `${note}<br>${sources}`)}${spacer(8)}${byCountry}${spacer(16)}${byType}`,
  );
}

function statusSection(audit: AuditResult): string {
  if (audit.total === 0) return card(`${heading('Status')}${paragraph('No numbers matched.')}`);
  const statusRows = Object.entries(audit.byStatus).map(([s, n]) => [
    escapeHtml(s === NO_STATUS ? '(no status given)' : s),
    formatCount(n),
  ]);
  const providerRows = Object.entries(audit.byProvider).map(([p, n]) => [
    escapeHtml(p === UNKNOWN_PROVIDER ? '(not given)' : p),
    formatCount(n),
  ]);
  const notActive = audit.notActive.length;
  const note =
    notActive > 0
      ? `${escapeHtml(formatCount(notActive))} number${notActive === 1 ? ' is' : 's are'} not active (pending, expired, ...) and never counted as unrouted.`
      : 'Every number is active or has no status.';
  return card(
    `${heading('Status', note)}${spacer(8)}${dataTable(
      [
        { label: 'Status', align: 'left' },
        { label: 'Numbers', align: 'right' },
      ],
      statusRows,
    )}${spacer(16)}${dataTable(
      [
        { label: 'Provider', align: 'left' },
        { label: 'Numbers', align: 'right' },
      ],
      providerRows,
    )}`,
  );
}

// ---- Section -------------------------------------------------------------------------------

function scopeLine(filters: ListFilters): string {
  const described = describeFilters(filters);
  return described === 'all numbers' ? 'All numbers in the workspace' : `Filtered: ${escapeHtml(described)}`;
}

function title(name: string, sub: string, eyebrow?: string): string {
  const top = eyebrow
    ? `<div style="font-size:11px;line-height:14px;font-weight:700;letter-spacing:1px;text-transform:uppercase;color:${MUTED};">${escapeHtml(eyebrow)}</div>`
    : '';
  return `<tr><td style="padding:8px 4px 12px 4px;${FONT}">${top}<div style="font-size:20px;line-height:26px;font-weight:700;color:${INK};word-break:break-word;">${escapeHtml(name)}</div>${sub}</td></tr>`;
}

function auditedSection(ws: WorkspaceAudit, options: SectionOptions, eyebrow?: string): string {
  const incomplete = ws.complete
    ? ''
    : paragraph(
        `<strong style="color:${RED};">Incomplete listing:</strong> ${escapeHtml(ws.incompleteReason ?? 'The number listing did not match the total the API reported.')} The figures below may be missing numbers.`,
        INK,
      );
  const limit = unroutedLimit(options);
  return [
    title(
      ws.name,
      `<div style="font-size:13px;line-height:18px;color:${MUTED};">${scopeLine(ws.filters)}</div>${incomplete}`,
      eyebrow,
    ),
    headline(ws.audit),
    changesSection(ws.changes, ws.agents, options.timeZone),
    unroutedSection(ws.audit, limit, options.attachment),
    missingAgentSection(ws.agents, limit, options.attachment),
    agentsSection(ws.numbers, ws.agents),
    matrixSection(ws.audit),
    costSection(ws.audit),
    statusSection(ws.audit),
  ]
    .filter((s) => s !== '')
    .join('\n');
}

function failedSection(ws: WorkspaceFailure, eyebrow?: string): string {
  const box = `<table ${TABLE} style="background:${BAD.bg};border:2px solid ${RED};border-radius:8px;" bgcolor="${BAD.bg}"><tr><td style="padding:16px;font-size:14px;line-height:21px;color:${INK};${FONT}">
<div style="font-size:16px;line-height:22px;font-weight:700;color:${RED};">This workspace could not be audited</div>
<div style="margin:6px 0 0 0;">${escapeHtml(ws.error.message)}</div>
<div style="margin:8px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};">Error code: <span style="${MONO}">${escapeHtml(ws.error.code)}</span>. None of its numbers are in this report or the CSV.</div>
</td></tr></table>`;
  return `${title(ws.name, '', eyebrow)}\n<tr><td style="padding:0 0 16px 0;">${box}</td></tr>`;
}

/** One workspace's rows: an audit, or what failed and what to do. `eyebrow` labels it among several. */
export function renderWorkspaceSection(ws: WorkspaceOutcome, options: SectionOptions, eyebrow?: string): string {
  return ws.ok ? auditedSection(ws, options, eyebrow) : failedSection(ws, eyebrow);
}
