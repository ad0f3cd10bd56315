// `npx tsx scripts/fan-out-figures.ts`: the two pictures of docs/agencies.md, from the code itself.
// docs/fan-out-graph.png is the synthesized state machine's definition drawn as a graph (every
// state and transition read from the ASL); docs/roll-up-email.png is the roll-up email rendered
// by the real renderer from sample summaries. Needs Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium), like `npm run screenshots`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { chromium } from 'playwright-core';
import type { WorkspaceSummary } from '../lambda/core/fan-out';
import { escapeHtml } from '../lambda/core/report';
import { renderRollUp } from '../lambda/core/report/roll-up';
import { readConfig } from '../lib/config';
import { NumberAuditStack } from '../lib/number-audit-stack';

const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');

type Condition = { Variable?: string; And?: Condition[]; Next?: string } & Record<string, unknown>;
type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Condition[] & Array<{ Next: string }>;
};

const OPERATORS: Record<string, string> = { StringEquals: '=', BooleanEquals: '=', NumericLessThan: '<' };

/** `status = continue & continuations < 10`: a choice rule in a few words. */
function describeCondition(c: Condition): string {
  if (c.And) return c.And.map(describeCondition).join(' & ');
  const op = Object.keys(OPERATORS).find((k) => k in c);
  return op ? `${String(c.Variable).replace(/^\$\.(plan\.)?/, '')} ${OPERATORS[op]} ${String(c[op])}` : 'when';
}
type States = Record<
  string,
  State & { ItemProcessor?: { StartAt: string; States: States }; Catch?: Array<{ Next: string }> }
>;

/** The fan-out state machine's ASL, synthesized without bundling. */
function definition(): { StartAt: string; States: States } {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  const app = new App({
    context: {
      ...context,
      recipients: 'ops@example.com',
      sender: 'audit@example.com',
      fanOut: true,
      'aws:cdk:bundling-stacks': [],
    },
  });
  const stack = new NumberAuditStack(app, 'NumberAudit', { config: readConfig(app) });
  const template = app.synth().getStackByName(stack.stackName).template;
  const machine = Object.values(
    template.Resources as Record<string, { Type: string; Properties: { DefinitionString: unknown } }>,
  ).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const join = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if ('Fn::Join' in o) return (o['Fn::Join'] as [string, unknown[]])[1].map(join).join('');
    return 'arn';
  };
  return JSON.parse(join(machine?.Properties.DefinitionString));
}

function edges(name: string, s: States[string]): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  if (s.Next) out.push([name, s.Next, '']);
  for (const c of s.Choices ?? []) out.push([name, c.Next, describeCondition(c)]);
  if (s.Default) out.push([name, s.Default, 'otherwise']);
  for (const c of s.Catch ?? []) out.push([name, c.Next, 'catch']);
  return out;
}

/** States in layers (longest path from the start, back-edges ignored), drawn top to bottom. */
function layout(start: string, states: States): Map<string, { layer: number; slot: number }> {
  const layer = new Map<string, number>([[start, 0]]);
  const order = [start];
  for (let i = 0; i < order.length; i++) {
    const name = order[i];
    for (const [, to] of edges(name, states[name])) {
      if (!layer.has(to)) {
        layer.set(to, (layer.get(name) ?? 0) + 1);
        order.push(to);
      }
    }
  }
  const slots = new Map<number, number>();
  const out = new Map<string, { layer: number; slot: number }>();
  for (const name of order) {
    const l = layer.get(name) ?? 0;
    out.set(name, { layer: l, slot: slots.get(l) ?? 0 });
    slots.set(l, (slots.get(l) ?? 0) + 1);
  }
  return out;
}

const W = 190;
const H = 40;
const GAP_X = 40;
const GAP_Y = 48;
const COLORS: Record<string, string> = {
  Task: '#dbeafe',
  Choice: '#fef3c7',
  Map: '#ede9fe',
  Pass: '#f3f4f6',
  Succeed: '#d1fae5',
};

/** One graph as SVG elements at (x0, y0); returns them and the size. */
function drawGraph(
  start: string,
  states: States,
  x0: number,
  y0: number,
): { svg: string[]; width: number; height: number } {
  const pos = layout(start, states);
  const xy = (name: string) => {
    const p = pos.get(name) ?? { layer: 0, slot: 0 };
    return { x: x0 + p.slot * (W + GAP_X), y: y0 + p.layer * (H + GAP_Y) };
  };
  const svg: string[] = [];
  let width = 0;
  let height = 0;
  for (const [name, s] of Object.entries(states)) {
    const { x, y } = xy(name);
    width = Math.max(width, x + W - x0);
    height = Math.max(height, y + H - y0);
    for (const [from, to, label] of edges(name, s)) {
      const a = xy(from);
      const b = xy(to);
      const back = b.y <= a.y;
      const d = back
        ? `M${a.x + W} ${a.y + H / 2} C${a.x + W + 60} ${a.y + H / 2}, ${b.x + W + 60} ${b.y + H / 2}, ${b.x + W} ${b.y + H / 2}`
        : `M${a.x + W / 2} ${a.y + H} L${b.x + W / 2} ${b.y}`;
      svg.push(
        `<path d="${d}" fill="none" stroke="#6b7280" stroke-width="1.5" marker-end="url(#arrow)"${label === 'catch' ? ' stroke-dasharray="5 4"' : ''}/>`,
      );
      if (label) {
        // Just above the target, where edges from one choice no longer cross.
        const lx = back ? Math.max(a.x, b.x) + W + 30 : b.x + 8;
        const ly = back ? (a.y + b.y) / 2 + H / 2 : b.y - 6;
        svg.push(`<text x="${lx}" y="${ly}" font-size="11" fill="#6b7280">${label}</text>`);
      }
    }
    svg.push(
      `<rect x="${x}" y="${y}" width="${W}" height="${H}" rx="8" fill="${COLORS[s.Type] ?? '#fff'}" stroke="#374151"/>`,
      `<text x="${x + W / 2}" y="${y + 17}" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(name)}</text>`,
      `<text x="${x + W / 2}" y="${y + 32}" text-anchor="middle" font-size="11" fill="#4b5563">${s.Type}${s.Type === 'Map' ? ' (distributed)' : ''}</text>`,
    );
  }
  return { svg, width, height };
}

function graphSvg(): string {
  const asl = definition();
  const top = drawGraph(asl.StartAt, asl.States, 20, 20);
  const map = Object.entries(asl.States).find(([, s]) => s.ItemProcessor);
  const parts = [...top.svg];
  let width = top.width + 40;
  let height = top.height + 40;
  if (map) {
    const [name, s] = map;
    const processor = s.ItemProcessor as { StartAt: string; States: States };
    const x0 = top.width + 140;
    const inner = drawGraph(processor.StartAt, processor.States, x0 + 20, 60);
    parts.push(
      `<rect x="${x0}" y="20" width="${inner.width + 120}" height="${inner.height + 60}" rx="10" fill="none" stroke="#7c3aed" stroke-dasharray="6 4"/>`,
      `<text x="${x0 + 12}" y="42" font-size="12" fill="#7c3aed">${escapeHtml(name)}: one child execution per client workspace</text>`,
      ...inner.svg,
    );
    width = x0 + inner.width + 140;
    height = Math.max(height, inner.height + 100);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Helvetica,Arial,sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#6b7280"/></marker></defs>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>`;
}

/** Sample clients for the picture: a failure, an incomplete listing, and healthy rows. */
function sampleSummaries(): WorkspaceSummary[] {
  const ok = (
    name: string,
    numbers: number,
    unrouted: number,
    cost: number,
    added: number,
    removed: number,
  ): WorkspaceSummary => ({
    name,
    status: 'ok',
    numbers,
    unrouted,
    missingAgents: 0,
    monthlyCost: cost,
    changes: { added, removed },
    actionNeeded: unrouted > 0,
  });
  return [
    ok('Acme Dental', 1240, 3, 1426, 12, 2),
    ok('Brightside Realty', 318, 0, 365.7, 0, 0),
    { ...ok('Cobalt Insurance', 5021, 41, 5774.15, 130, 9), emailed: 'msg-1' },
    {
      name: 'Delta Clinics',
      status: 'failed',
      numbers: 0,
      unrouted: 0,
      missingAgents: 0,
      monthlyCost: 0,
      changes: null,
      error: {
        code: 'PERMISSION',
        message: 'DialNexa refused the key from secret "number-audit/delta": the key cannot read phone numbers (403)',
      },
      actionNeeded: true,
    },
    { ...ok('Evergreen Solar', 77, 1, 88.55, 0, 5), missingAgents: 2 },
    {
      ...ok('Fjord Logistics', 19400, 12, 22310, 0, 0),
      status: 'incomplete',
      changes: null,
      incompleteReason: 'listed 19,398 unique numbers but the API reported 19,400 (after one re-list)',
    },
  ];
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 1 });
    const svg = graphSvg();
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(DOCS, 'fan-out-graph.png') });
    const email = renderRollUp({
      generatedAt: new Date('2026-11-30T09:03:00Z'),
      timeZone: 'Europe/London',
      summaries: sampleSummaries(),
      attachmentNote: 'The full inventory is attached as a CSV file, with a workspace column.',
    });
    await page.setViewportSize({ width: 900, height: 400 });
    await page.setContent(email.html);
    await page.screenshot({ path: path.join(DOCS, 'roll-up-email.png'), fullPage: true });
    console.log(`subject: ${email.subject}\nwrote docs/fan-out-graph.png and docs/roll-up-email.png`);
  } finally {
    await browser.close();
  }
}

void main();
