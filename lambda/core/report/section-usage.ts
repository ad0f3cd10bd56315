// A finding: numbers nobody calls, most expensive first, and the monthly cost they waste.
import type { AttachmentMode } from '../types';
import type { UsageCheck } from '../usage';
import { phoneCell, typeCell } from './cells';
import { asSentence, countryLabel, formatCount, formatUsd, moreRowsNote, plural } from './format';
import { section, type Note, type Section } from './model-types';

export const IDLE_TITLE = 'Numbers nobody calls';
export const USAGE_SKIPPED = 'Usage not checked:';

/** What the check could not settle: numbers left unknown and numbers too new to judge. */
function caveats(usage: Extract<UsageCheck, { status: 'checked' }>): Note[] {
  const out: Note[] = [];
  if (usage.unknownCount > 0) {
    out.push({
      text:
        `${plural(usage.unknownCount, 'number was', 'numbers were')} not settled within the request budget ` +
        '(usage "unknown" in the CSV); none of them is counted as idle.',
    });
  }
  if (usage.newCount > 0) {
    out.push({
      text: `${plural(usage.newCount, 'number', 'numbers')} bought in the last ${usage.windowDays} days and not called yet are not counted (usage "new").`,
    });
  }
  return out;
}

export function idleSection(usage: UsageCheck | undefined, limit: number, attachment: AttachmentMode): Section[] {
  if (usage === undefined) return [];
  if (usage.status === 'skipped') {
    return [
      section('idle', IDLE_TITLE, {
        callouts: [{ tone: 'warn', label: USAGE_SKIPPED, text: asSentence(usage.reason) }],
      }),
    ];
  }
  const all = usage.idle;
  const days = usage.windowDays;
  if (all.length === 0) {
    return [
      section('idle', IDLE_TITLE, {
        paragraphs: [
          {
            lines: [{ label: 'None.', text: `Every number checked had a call in the last ${days} days.` }],
            tone: 'good',
          },
        ],
        notes: caveats(usage),
      }),
    ];
  }
  const shown = all.slice(0, limit);
  const one = all.length === 1;
  const lead =
    `${formatCount(all.length)} active number${one ? '' : 's'} had no call in or out in the last ${days} days: ` +
    `${formatUsd(usage.idleMonthly)} a month. Release ${one ? 'it' : 'the ones'} you no longer need.`;
  const rest = all.length - shown.length;
  return [
    section('idle', IDLE_TITLE, {
      lead: [lead],
      tables: [
        {
          columns: [
            { label: 'Number', align: 'left' },
            { label: 'Country', align: 'left' },
            { label: 'Type', align: 'left' },
            { label: 'Monthly', align: 'right' },
          ],
          rows: shown.map((n) => [
            phoneCell(n.phoneNumber),
            countryLabel(n.countryCode),
            typeCell(n),
            n.monthlyCostUsd === null ? { kind: 'blank', text: '-' } : formatUsd(n.monthlyCostUsd),
          ]),
          density: 'tight',
          ...(rest > 0 ? { truncated: { text: `${moreRowsNote(rest, attachment)}.`, strong: true } } : {}),
        },
      ],
      notes: caveats(usage),
    }),
  ];
}
