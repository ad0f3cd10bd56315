// AWS cron expressions, checked at synth. aws-cdk-lib cannot do it: ScheduleExpression.cron() and
// events.Schedule.cron() only refuse `day` next to `weekDay`, ScheduleExpression.expression() and
// CfnSchedule take any string, and EventBridge Scheduler first sees the expression at deploy time.
import { ConfigError } from '../core/errors';

/** AWS cron fields, as EventBridge Scheduler reads them (day or weekDay is `?`, never both set). */
export interface CronFields {
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekDay: string;
  year: string;
}

/** `cron(m h dom mon dow year)` as written in cdk.json, for docs and logs. */
export function cronExpression(fields: CronFields): string {
  return `cron(${fields.minute} ${fields.hour} ${fields.day} ${fields.month} ${fields.weekDay} ${fields.year})`;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Extra single-item forms the field accepts (L, W, #). */
  special?: RegExp;
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: WEEK_DAYS,
    special: /^(L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
  },
  { name: 'year', min: 1970, max: 2199 },
];

/**
 * Parses an AWS cron expression, `cron(minutes hours day-of-month month day-of-week year)`, with or
 * without the `cron(...)` wrapper. Times are read in the schedule's `timeZone`.
 */
export function parseCron(key: string, input: string): CronFields {
  const expected = 'an AWS cron expression with 6 fields, e.g. cron(0 9 ? * MON *) for Mondays 09:00';
  const body = /^cron\((.*)\)$/.exec(input.trim())?.[1] ?? input.trim();
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6 || parts[0] === '') throw new ConfigError(key, `"${input}" is not ${expected}`);
  const upper = parts.map((p) => p.toUpperCase());
  upper.forEach((part, i) => {
    const problem = fieldProblem(FIELDS[i], part);
    if (problem) throw new ConfigError(key, `${FIELDS[i].name} field "${parts[i]}": ${problem} (expected ${expected})`);
  });
  const [minute, hour, day, month, weekDay, year] = upper;
  if ((day === '?') === (weekDay === '?')) {
    throw new ConfigError(
      key,
      `exactly one of day-of-month ("${day}") and day-of-week ("${weekDay}") must be "?" (expected ${expected})`,
    );
  }
  return { minute, hour, day, month, weekDay, year };
}

function fieldProblem(spec: FieldSpec, part: string): string | undefined {
  const isDayField = spec.name === 'day-of-month' || spec.name === 'day-of-week';
  if (part === '?') return isDayField ? undefined : '"?" is only allowed in day-of-month or day-of-week';
  const items = part.split(',');
  for (const item of items) {
    if (spec.special?.test(item)) {
      if (items.length > 1) return `"${item}" cannot be combined with other values`;
      continue;
    }
    const m = /^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return `"${item}" is not a value, range, list or step`;
    if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > spec.max)) return `step "${m[2]}" is out of range`;
    if (m[1] === '*') continue;
    for (const bound of m[1].split('-')) {
      const n = fieldValue(spec, bound);
      if (n === undefined)
        return `"${bound}" is not a valid ${spec.name} (${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''})`;
    }
  }
  return undefined;
}

function fieldValue(spec: FieldSpec, token: string): number | undefined {
  if (spec.names) {
    const i = spec.names.indexOf(token);
    if (i >= 0) return i + spec.min;
  }
  if (!/^\d+$/.test(token)) return undefined;
  const n = Number(token);
  return n >= spec.min && n <= spec.max ? n : undefined;
}
