// The findings: unrouted numbers, numbers routed to a missing agent, and where the routed traffic goes.
import type { ChangedNumber } from '../changes';
import type { AgentCheck, AttachmentMode, AuditResult, PhoneNumber } from '../types';
import { agentCell, nicknameCell, phoneCell, typeCell } from './cells';
import { AGENT_ROWS_LIMIT } from './context';
import { AGENTS_SKIPPED, asSentence, countryLabel, formatCount, moreRowsNote, plural } from './format';
import { section, type Cell, type Column, type Note, type Section } from './model-types';
import { routedByAgent } from './summary';

/** "None." and why that is good, for a finding with nothing to show. */
function none(text: string): Section['paragraphs'] {
  return [{ lines: [{ label: 'None.', text }], tone: 'good' }];
}

function moreRows(total: number, shown: number, attachment: AttachmentMode): Note | undefined {
  return total > shown ? { text: `${moreRowsNote(total - shown, attachment)}.`, strong: true } : undefined;
}

/** Marks a number that was routed at the previous run: the unrouted list's newest problems. */
export const NEWLY_UNROUTED_BADGE = 'NEW';
const NEWLY_UNROUTED_NOTE = `${NEWLY_UNROUTED_BADGE}: routed at the previous run, unrouted now.`;

function unroutedNotes(shown: readonly PhoneNumber[], marked: boolean): Note[] {
  return [
    ...(marked ? [{ text: NEWLY_UNROUTED_NOTE }] : []),
    ...(shown.some((n) => n.typeInferred)
      ? [{ text: '* type worked out from the number; the API did not give one.' }]
      : []),
  ];
}

/** `newlyUnrouted`: numbers unrouted since the previous run, marked NEW under their number. */
export function unroutedSection(
  audit: AuditResult,
  limit: number,
  attachment: AttachmentMode,
  newlyUnrouted: readonly ChangedNumber[] = [],
): Section {
  const title = 'Unrouted numbers';
  const all = audit.unrouted;
  if (all.length === 0)
    return section('unrouted', title, { paragraphs: none('Every active number has an inbound agent.') });
  const shown = all.slice(0, limit);
  const one = all.length === 1;
  const lead = [
    `${formatCount(all.length)} active number${one ? '' : 's'} with no inbound agent: a call to ${one ? 'it' : 'them'} is rejected.`,
    'Assign an agent or release the number.',
  ].join(' ');
  const truncated = moreRows(all.length, shown.length, attachment);
  const isNew = new Set(newlyUnrouted.map((n) => n.id));
  const marked = shown.some((n) => isNew.has(n.id));
  const columns: Column[] = [
    { label: 'Number', align: 'left' },
    ...(marked ? [{ label: 'New', align: 'left', under: true } as const] : []),
    { label: 'Country', align: 'left' },
    { label: 'Type', align: 'left' },
    { label: 'Nickname', align: 'left', width: '35%', wrap: true },
  ];
  const badge = (n: PhoneNumber): Cell[] =>
    marked ? [isNew.has(n.id) ? { kind: 'badge', text: NEWLY_UNROUTED_BADGE, tone: 'bad' } : ''] : [];
  return section('unrouted', title, {
    lead: [lead],
    tables: [
      {
        columns,
        rows: shown.map((n) => [
          phoneCell(n.phoneNumber),
          ...badge(n),
          countryLabel(n.countryCode),
          typeCell(n),
          nicknameCell(n.nickname),
        ]),
        // With 4 px sides, a long number plus a long nickname word is wider than a 375 px phone.
        density: 'tight',
        ...(truncated ? { truncated } : {}),
      },
    ],
    notes: unroutedNotes(shown, marked),
  });
}

export function missingAgentSection(
  check: AgentCheck | undefined,
  limit: number,
  attachment: AttachmentMode,
): Section[] {
  if (!check) return [];
  const title = 'Routed to a missing agent';
  if (check.status === 'skipped') {
    return [
      section('missing-agents', title, {
        callouts: [{ tone: 'warn', label: AGENTS_SKIPPED, text: asSentence(check.reason) }],
      }),
    ];
  }
  const all = check.missing;
  if (all.length === 0) {
    const agents = plural(check.agentCount, 'agent', 'agents');
    return [
      section('missing-agents', title, {
        paragraphs: none(`Every routed number points at one of the workspace's ${agents}.`),
      }),
    ];
  }
  const shown = all.slice(0, limit);
  const one = all.length === 1;
  const lead = [
    `${formatCount(all.length)} number${one ? ' points' : 's point'} at an agent that does not exist in the workspace,`,
    `so ${one ? 'it looks' : 'they look'} routed but calls fail. Assign an existing agent.`,
  ].join(' ');
  const truncated = moreRows(all.length, shown.length, attachment);
  return [
    section('missing-agents', title, {
      lead: [lead],
      tables: [
        {
          columns: [
            { label: 'Number', align: 'left' },
            { label: 'Country', align: 'left' },
            { label: 'Agent id', align: 'left', width: '30%', wrap: true },
            { label: 'Nickname', align: 'left', width: '25%', wrap: true },
          ],
          rows: shown.map((n) => [
            phoneCell(n.phoneNumber),
            countryLabel(n.countryCode),
            agentCell(undefined, n.inboundAgentId),
            nicknameCell(n.nickname),
          ]),
          // An agent id breaks only every 10 characters: 4 px sides keep four columns inside a 375 px phone.
          density: 'tight',
          ...(truncated ? { truncated } : {}),
        },
      ],
    }),
  ];
}

/** Routed numbers per agent, biggest first: where the traffic goes, by name. */
export function agentsSection(numbers: readonly PhoneNumber[], check: AgentCheck | undefined): Section[] {
  const ordered = routedByAgent(numbers, check);
  if (ordered.length === 0) return [];
  const shown = ordered.slice(0, AGENT_ROWS_LIMIT);
  const rest = ordered.length - shown.length;
  return [
    section('agents', 'Routed numbers by agent', {
      lead: ['The CSV names the agent of every number (inbound_agent_name).'],
      tables: [
        {
          columns: [
            { label: 'Agent', align: 'left', wrap: true },
            { label: 'Id', align: 'left', under: true },
            { label: 'Numbers', align: 'right' },
          ],
          rows: shown.map((a) => [
            a.name === null ? { kind: 'blank', text: '(no name)' } : { kind: 'strong', text: a.name },
            a.id,
            formatCount(a.numbers),
          ]),
          ...(rest > 0
            ? {
                truncated: {
                  text: `and ${plural(rest, 'more agent', 'more agents')}; the CSV names the agent of every number.`,
                },
              }
            : {}),
        },
      ],
    }),
  ];
}
