// The demo's workspace: one fixed seed, so every `npm run demo` (and the demo test) shows the same
// ~1,250 numbers in nine countries with every documented field variant, plus "last week's"
// inventory, so the first run already has changes to report: numbers added and removed, re-routed,
// newly unrouted and fixed, and two numbers routed to an agent that was deleted.
import type { RunSummary } from '../lambda/core/trend';
import {
  generateAgents,
  generateCallHistory,
  generatePortfolio,
  type PortfolioOptions,
  type SimAgent,
  type SimCall,
  type SimFolder,
  type SimRecord,
} from '../simulator';

export const DEMO_SEED = 20261130;
export const DEMO_SIZE = 1250;
export const DEMO_WORKSPACE_NAME = 'Acme Voice (demo)';
export const DEMO_FROM = 'number-audit@acme.example.com';
export const DEMO_TO = ['telephony-ops@acme.example.com', 'finance@acme.example.com'];
export const DELETED_AGENT_ID = 'agt_deleted0retired';
/**
 * One unrouted number's nickname: 200 characters without a space or hyphen, the longest the
 * report keeps. It must not widen the email on a 375 px phone, even where overflow-wrap is ignored.
 */
export const LONG_NICKNAME = `Main${'0123456789'.repeat(19)}Line`.slice(0, 200);

export const DEMO_PORTFOLIO: PortfolioOptions = {
  seed: DEMO_SEED,
  size: DEMO_SIZE,
  unroutedRatio: 0.03,
  notActiveRatio: 0.02,
  costRatio: 0.85,
  variants: 'mixed',
};

/** The ids behind each kind of change between last week and now. */
export interface DemoStory {
  added: string[];
  removed: string[];
  rerouted: string[];
  newlyUnrouted: string[];
  fixed: string[];
  missingAgent: string[];
}

/** The teams the demo's agents sit in; the last two agents sit in none. */
export const DEMO_FOLDERS: SimFolder[] = [
  { id: 'fld_support', name: 'Customer Support' },
  { id: 'fld_sales', name: 'Sales' },
  { id: 'fld_collections', name: 'Collections' },
];

export interface DemoWorkspace {
  numbers: SimRecord[];
  agents: SimAgent[];
  folders: SimFolder[];
  lastWeek: SimRecord[];
  story: DemoStory;
}

export function demoWorkspace(overrides: Partial<PortfolioOptions> = {}): DemoWorkspace {
  const options = { ...DEMO_PORTFOLIO, ...overrides };
  const agents = generateAgents(options.seed, 8).map((a, i) => ({
    ...a,
    folder_id: i < 6 ? (DEMO_FOLDERS[i % DEMO_FOLDERS.length]?.id ?? null) : null,
  }));
  const agentIds = agents.map((a) => a.id);
  const current = generatePortfolio({ ...options, agentIds });
  // The same numbers in one clean shape tell which are active and routed, whatever the variant.
  const plain = generatePortfolio({ ...options, agentIds, variants: 'canonical' });
  const active = (i: number) => plain[i].status === 'active';
  const routed = plain.flatMap((r, i) => (active(i) && r.inbound_agent_id ? [i] : []));
  const unrouted = plain.flatMap((r, i) => (active(i) && !r.inbound_agent_id ? [i] : []));

  const missingAgent = routed.slice(0, 2);
  const rerouted = routed.slice(10, 14);
  const fixed = routed.slice(20, 22);
  const newlyUnrouted = unrouted.slice(0, 3);
  const taken = new Set([...missingAgent, ...rerouted, ...fixed, ...newlyUnrouted]);
  const added = plain.flatMap((_, i) => (i % 150 === 75 && !taken.has(i) ? [i] : []));
  const removed = generatePortfolio({ ...options, seed: options.seed + 1, size: 3, agentIds });

  for (const i of missingAgent) setAgent(current[i], DELETED_AGENT_ID);
  const longNamed = unrouted[3];
  if (longNamed !== undefined) setNickname(current[longNamed], LONG_NICKNAME);
  const lastWeek = current.filter((_, i) => !added.includes(i)).map((r) => ({ ...r }));
  const lastWeekById = new Map(lastWeek.map((r) => [r.id, r]));
  const patchLastWeek = (i: number, agentId: string | null) => {
    const record = lastWeekById.get(current[i].id);
    if (record) setAgent(record, agentId);
  };
  for (const i of rerouted) {
    const now = String(plain[i].inbound_agent_id);
    patchLastWeek(i, agentIds[(agentIds.indexOf(now) + 1) % agentIds.length]);
  }
  for (const i of newlyUnrouted) patchLastWeek(i, agentIds[0]);
  for (const i of fixed) patchLastWeek(i, null);
  lastWeek.push(...removed);

  const ids = (indices: number[]) => indices.map((i) => current[i].id);
  return {
    numbers: current,
    agents,
    folders: DEMO_FOLDERS,
    lastWeek,
    story: {
      added: ids(added),
      removed: removed.map((r) => r.id),
      rerouted: ids(rerouted),
      newlyUnrouted: ids(newlyUnrouted),
      fixed: ids(fixed),
      missingAgent: ids(missingAgent),
    },
  };
}

/** Routes (or unroutes) a record whatever field variant it uses. */
/** Whichever of nickname and label the record spells. */
function setNickname(record: SimRecord, text: string): void {
  if ('label' in record && !('nickname' in record)) record.label = text;
  else record.nickname = text;
}

function setAgent(record: SimRecord, agentId: string | null): void {
  delete record.agent_id;
  record.inbound_agent_id = agentId;
}

/** What the demo's inventory file leaves out, adds and gets wrong, against today's numbers. */
export interface DemoInventory {
  csv: string;
  /** DialNexa numbers the file does not list. */
  missing: string[];
  /** Numbers in the file that DialNexa does not have. */
  extra: string[];
  /** The number whose monthly_cost disagrees with DialNexa's. */
  mismatched: string;
  /** Line of the one invalid row. */
  invalidLine: number;
}

const COST_CENTERS = ['CC-100 Support', 'CC-200 Sales', 'CC-300 Collections'];
const OWNERS = ['maria.lopez', 'dev.patel', 'sam.okafor'];

/**
 * Finance's inventory of the demo workspace, written the way people write numbers (spaces,
 * dashes, 00): every number of today but three, two numbers DialNexa does not have, one
 * price that disagrees, one row that is not a phone number, and a few numbers with no cost center.
 */
export function demoInventory(workspace: DemoWorkspace): DemoInventory {
  const plain = workspace.numbers;
  const missing = plain.slice(5, 8).map((r) => r.phone_number);
  const extra = ['+14155550188', '+442079460123'];
  const rows = ['phone_number,cost_center,owner,monthly_cost'];
  const costOf = (r: SimRecord) =>
    typeof r.monthly_cost_usd === 'string' || typeof r.monthly_cost_usd === 'number' ? String(r.monthly_cost_usd) : '';
  const mismatchAt = plain.findIndex((r, i) => i >= 10 && costOf(r) !== '');
  let mismatched = '';
  plain.forEach((r, i) => {
    if (i >= 5 && i < 8) return;
    const digits = r.phone_number.replace(/^\+/, '');
    const written =
      i % 4 === 1
        ? `00${digits}`
        : i % 4 === 2
          ? `+${digits.slice(0, 2)} ${digits.slice(2, 6)}-${digits.slice(6)}`
          : `+${digits}`;
    const cost = costOf(r);
    const priced = i === mismatchAt ? (Number(cost) + 1).toFixed(2) : cost;
    if (priced !== cost) mismatched = r.phone_number;
    const center = i % 50 === 9 ? '' : COST_CENTERS[i % 3];
    rows.push([written, center, OWNERS[i % 3], priced].join(','));
  });
  rows.push('+14155550188,CC-200 Sales,dev.patel,1.15', '0044 20 7946 0123,"CC-100 Support, UK",maria.lopez,');
  const invalidLine = rows.length + 1;
  rows.push('415 555 0199,CC-200 Sales,dev.patel,1.15');
  return { csv: `${rows.join('\r\n')}\r\n`, missing, extra, mismatched, invalidLine };
}

/** Calls of the last months ending `now`: some numbers idle, some used only outbound or long ago. */
export function demoCalls(numbers: readonly SimRecord[], now: Date): SimCall[] {
  return generateCallHistory(numbers, { seed: DEMO_SEED, now: now.getTime() });
}

/** Weekly runs before last week's, so the trend charts have a story; written as the archive's summaries. */
export const DEMO_EARLIER_WEEKS = 10;

/**
 * The summaries ten weeks of scheduled runs would have left, oldest first: the portfolio grew by a
 * few numbers a week and unrouted numbers crept up. Only figures, like a real run's summary.json.
 */
export function demoEarlierRuns(
  lastWeek: Date,
  latest: { total: number; unrouted: number; monthly: number },
): RunSummary[] {
  const week = 7 * 86_400_000;
  return Array.from({ length: DEMO_EARLIER_WEEKS }, (_, k) => {
    const back = DEMO_EARLIER_WEEKS - k;
    return {
      generatedAt: new Date(lastWeek.getTime() - back * week).toISOString(),
      complete: true,
      unfiltered: true,
      total: latest.total - 6 * back,
      unroutedCount: Math.max(0, latest.unrouted - Math.ceil(back / 2)),
      idleCount: back > 6 ? null : 180 + 5 * (6 - back),
      totalMonthly: Math.round((latest.monthly - 9.5 * back) * 100) / 100,
    };
  });
}
