// The breakdown over time: the last complete, unfiltered runs as four small bar charts.
import type { TrendPoint } from '../trend';
import { formatCount, formatUsd } from './format';
import { type Chart, section, type Section } from './model-types';

export const TREND_TITLE = 'The last runs at a glance';

function day(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(new Date(iso));
}

function chart(
  title: string,
  points: readonly TrendPoint[],
  timeZone: string,
  value: (p: TrendPoint) => number | null,
  text: (n: number) => string,
  tone?: Chart['tone'],
): Chart {
  return {
    title,
    ...(tone ? { tone } : {}),
    bars: points.map((p) => {
      const v = value(p);
      return { label: day(p.generatedAt, timeZone), value: v, text: v === null ? '-' : text(v) };
    }),
  };
}

export function trendSection(trend: readonly TrendPoint[] | undefined, timeZone: string): Section[] {
  if (trend === undefined) return [];
  if (trend.length <= 1) {
    return [
      section('trend', TREND_TITLE, {
        paragraphs: [
          {
            lines: [{ text: 'No history yet: the charts start once a second complete, unfiltered run is archived.' }],
            quiet: true,
          },
        ],
      }),
    ];
  }
  const charts = [
    chart('Numbers', trend, timeZone, (p) => p.total, formatCount),
    chart('Unrouted', trend, timeZone, (p) => p.unroutedCount, formatCount, 'bad'),
    ...(trend.some((p) => p.idleCount !== null)
      ? [chart('Idle (no calls)', trend, timeZone, (p) => p.idleCount, formatCount, 'warn')]
      : []),
    chart('Monthly cost (known)', trend, timeZone, (p) => p.totalMonthly, formatUsd),
  ];
  return [
    section('trend', TREND_TITLE, {
      lead: [`The last ${formatCount(trend.length)} complete, unfiltered runs, oldest first.`],
      charts,
    }),
  ];
}
