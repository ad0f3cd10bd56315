// `npm run test:browser`: renders the demo's report.html in the system's headless Chromium at
// 600 px and 375 px and checks what a reader would notice: nothing wider than the screen, the
// headline figures and the unrouted table on view, and not one request leaving the page.
// Saves out/email-600.png and out/email-375.png (and, with --docs, small copies under docs/).
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { AuditJson } from '../lambda/core/audit-json';
import { formatCount, formatUsd } from '../lambda/core/report/format';
import { DEFAULT_OUT_DIR, runDemo } from './demo';
import { LONG_NICKNAME } from './demo-portfolio';

export const WIDTHS = [600, 375] as const;
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Top of the email only, so the committed README screenshots stay small. */
const DOCS_CLIP_HEIGHT = { 600: 1150, 375: 1400 } as const;

export interface CheckOutcome {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface BrowserCheckOptions {
  outDir: string;
  executablePath: string;
  /** Also write cropped screenshots here (docs/). */
  docsDir?: string;
  log?: (line: string) => void;
}

export async function checkReport(options: BrowserCheckOptions): Promise<CheckOutcome[]> {
  const log = options.log ?? (() => undefined);
  const htmlPath = join(options.outDir, 'report.html');
  const audit = JSON.parse(await readFile(join(options.outDir, 'audit.json'), 'utf8')) as AuditJson;
  const outcomes: CheckOutcome[] = [];
  const record = (name: string, ok: boolean, detail?: string) => {
    outcomes.push({ name, ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` - ${detail}` : ''}`);
  };

  if (options.docsDir) await mkdir(options.docsDir, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'number-audit-chromium-'));
  let context: BrowserContext | undefined;
  try {
    // A persistent context is how playwright takes a user data dir of our choosing.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: options.executablePath,
      headless: true,
      args: LAUNCH_ARGS,
      deviceScaleFactor: 1,
      offline: true,
    });
    const leaked: string[] = [];
    await context.route('**', async (route) => {
      const url = route.request().url();
      if (isLocalUrl(url)) return route.continue();
      leaked.push(url);
      return route.abort('blockedbyclient');
    });

    // The guard must be able to see a leak before its silence means anything.
    const canary = await context.newPage();
    await canary.setContent('<img src="https://cdn.example.com/pixel.png">', { waitUntil: 'load' });
    await canary.close();
    record('request guard catches an external image', leaked.length === 1, `${leaked.length} caught`);
    leaked.length = 0;

    for (const width of WIDTHS) {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!isLocalUrl(r.url())) requests.push(r.url());
      });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });

      const overflow = await page.evaluate(() => {
        // Runs in the page; the project's TypeScript has no DOM lib.
        const w = globalThis as unknown as BrowserGlobals;
        const el = w.document.scrollingElement ?? w.document.documentElement;
        return { scrollWidth: el.scrollWidth, innerWidth: w.innerWidth };
      });
      record(
        `${width}px: no horizontal overflow`,
        overflow.scrollWidth <= overflow.innerWidth,
        `scrollWidth ${overflow.scrollWidth}, innerWidth ${overflow.innerWidth}`,
      );

      const figures: Array<[string, string]> = [
        ['Numbers', formatCount(audit.total)],
        ['Unrouted', formatCount(audit.unroutedCount)],
        ['Monthly cost', formatUsd(audit.cost.totalMonthly)],
      ];
      for (const [label, value] of figures) {
        const problem = await figureProblem(page, label, value, width);
        record(`${width}px: headline "${label}" shows ${value}`, problem === null, problem ?? undefined);
      }

      const tableProblem = await unroutedTableProblem(page, audit, width);
      record(
        `${width}px: unrouted table visible`,
        tableProblem === null,
        tableProblem ?? `${audit.unrouted.length} rows`,
      );

      const order = await orderProblem(page);
      record(`${width}px: findings, then changes, then breakdowns`, order === null, order ?? undefined);

      for (const [title, file] of CHART_SECTIONS) {
        const docsShot = options.docsDir && width === 375 ? join(options.docsDir, `${file}.png`) : undefined;
        const problem = await sectionProblem(page, title, width, docsShot);
        record(`${width}px: "${title}" bars drawn inside the screen`, problem === null, problem ?? undefined);
      }

      const longProblem = await longNicknameProblem(page, width);
      record(
        `${width}px: a 200-character nickname wraps inside the screen`,
        longProblem === null,
        longProblem ?? undefined,
      );

      for (const [title, file] of NEW_SECTIONS) {
        const docsShot =
          options.docsDir && DOCS_SECTION_WIDTH[file] === width ? join(options.docsDir, `${file}.png`) : undefined;
        const problem = await sectionProblem(page, title, width, docsShot);
        record(`${width}px: "${title}" drawn inside the screen`, problem === null, problem ?? undefined);
      }

      const shot = join(options.outDir, `email-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      if (options.docsDir) {
        const height = Math.min(
          DOCS_CLIP_HEIGHT[width],
          await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollHeight),
        );
        await page.screenshot({
          path: join(options.docsDir, `email-${width}.png`),
          fullPage: true,
          clip: { x: 0, y: 0, width, height },
        });
        await shootUseCaseSections(page, join(options.docsDir, `email-use-case-${width}.png`), width);
      }
      log(`     screenshot ${shot}`);

      const left = [...requests, ...leaked];
      record(
        `${width}px: no request leaves the page`,
        left.length === 0,
        left.length ? left.slice(0, 3).join(', ') : '0 requests',
      );
      leaked.length = 0;
      await page.close();
    }
  } finally {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
  return outcomes;
}

/** "Cost by use case" and "Reconciliation", from the first heading down to the section after them. */
async function shootUseCaseSections(page: Page, path: string, width: number): Promise<void> {
  const top = await page.getByText('Cost by use case', { exact: true }).first().boundingBox();
  if (top === null) throw new Error('the email has no "Cost by use case" section to photograph');
  const below = await page.getByText('Status', { exact: true }).all();
  let end: number | undefined;
  for (const heading of below) {
    const box = await heading.boundingBox();
    if (box !== null && box.y > top.y && (end === undefined || box.y < end)) end = box.y;
  }
  const y = Math.max(0, top.y - 24);
  const height = Math.min((end ?? top.y + 1600) - 24 - y, 2400);
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y, width, height } });
}

/** Sections issue 13 added, and the docs screenshot each one gets. */
const NEW_SECTIONS = [
  ['Numbers nobody calls', 'email-idle'],
  ['The last runs at a glance', 'email-trend'],
] as const;
const DOCS_SECTION_WIDTH: Record<(typeof NEW_SECTIONS)[number][1], number> = { 'email-idle': 600, 'email-trend': 375 };

/** The breakdowns drawn as bars (table cells) besides the trend charts, and their docs screenshot at 375 px. */
const CHART_SECTIONS = [
  ['Numbers by country and type', 'email-country-type'],
  ['Monthly cost (USD)', 'email-cost'],
] as const;

/**
 * The order a reader meets the demo's sections in: the headline tiles, the findings to act on,
 * what changed, then the breakdowns and charts. Each heading starts with its entry.
 */
const SECTION_ORDER = [
  'Unrouted numbers',
  'Routed to a missing agent',
  'Numbers nobody calls',
  'Reconciliation',
  'Changes since',
  'Numbers by country and type',
  'Monthly cost (USD)',
  'Cost by use case',
  'The last runs at a glance',
] as const;

/** Null when the headings are on the page top to bottom in SECTION_ORDER, below the tiles. */
async function orderProblem(page: Page): Promise<string | null> {
  const tile = await page.getByText('Monthly cost', { exact: true }).first().boundingBox();
  let above = tile ? tile.y : 0;
  let previous = 'the headline tiles';
  for (const title of SECTION_ORDER) {
    const box = await page.locator('h2', { hasText: title }).first().boundingBox();
    if (box === null) return `"${title}" not found`;
    if (box.y <= above) return `"${title}" is above ${previous}`;
    above = box.y;
    previous = `"${title}"`;
  }
  return null;
}

/**
 * The section's card is on the page, inside the screen, and (for charts) every bar has a width:
 * table cells drawn as bars must survive the layout at this width. Null when all is well.
 */
async function sectionProblem(page: Page, title: string, width: number, docsShot?: string): Promise<string | null> {
  const card = page.locator('h2', { hasText: title }).first().locator('xpath=ancestor::table[1]');
  if ((await card.count()) === 0) return 'section not found';
  const box = await card.boundingBox();
  if (box === null) return 'section not rendered';
  if (box.x + box.width > width + 0.5) return `right edge at ${Math.round(box.x + box.width)} px`;
  const bars = card.locator('td[bgcolor]');
  for (let i = 0; i < (await bars.count()); i++) {
    const bar = await bars.nth(i).boundingBox();
    if (bar === null || bar.width < 1) return `bar ${i + 1} has no width`;
    if (bar.x + bar.width > width) return `bar ${i + 1} ends past the screen`;
  }
  // The top of the card only: a hundred rows would make a large file for little more to see.
  if (docsShot) {
    // The page is not scrolled, so the box is in page coordinates.
    const clip = { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 640) };
    await page.screenshot({ path: docsShot, fullPage: true, clip });
  }
  return null;
}

interface BrowserGlobals {
  innerWidth: number;
  document: {
    scrollingElement: { scrollWidth: number } | null;
    documentElement: { scrollWidth: number; scrollHeight: number };
  };
}

function isLocalUrl(url: string): boolean {
  return url.startsWith('file:') || url.startsWith('data:') || url.startsWith('about:');
}

/** The tile whose label reads `label` shows `value`, fully inside the viewport. */
async function figureProblem(page: Page, label: string, value: string, width: number): Promise<string | null> {
  const tile = page.getByText(label, { exact: true }).first().locator('xpath=..');
  const figure = tile.getByText(value, { exact: true }).first();
  if (!(await figure.isVisible())) return `"${value}" not visible next to "${label}"`;
  const box = await figure.boundingBox();
  if (!box || box.x < 0 || box.x + box.width > width) return `"${value}" is cut off (box ${JSON.stringify(box)})`;
  return null;
}

async function unroutedTableProblem(page: Page, audit: AuditJson, width: number): Promise<string | null> {
  if (!(await page.getByRole('heading', { name: 'Unrouted numbers' }).isVisible()))
    return 'heading "Unrouted numbers" not visible';
  if (audit.unrouted.length === 0) return null;
  const rows = [audit.unrouted[0], audit.unrouted[Math.min(audit.unrouted.length, 100) - 1]];
  for (const row of rows) {
    const cell = page.getByText(row.phoneNumber, { exact: true }).first();
    if (!(await cell.isVisible())) return `${row.phoneNumber} not visible`;
    const box = await cell.boundingBox();
    if (!box || box.x + box.width > width) return `${row.phoneNumber} is cut off`;
  }
  return null;
}

/**
 * The demo's 200-character nickname without a space: its cell ends inside the screen. The email
 * has no overflow-wrap or word-break, so this is what clients that ignore them draw too.
 */
async function longNicknameProblem(page: Page, width: number): Promise<string | null> {
  const cell = page.locator('td', { hasText: LONG_NICKNAME.slice(0, 20) }).first();
  if ((await cell.count()) === 0) return 'the long nickname is not in the email';
  const box = await cell.boundingBox();
  if (box === null) return 'the long nickname is not rendered';
  return box.x + box.width > width ? `its cell ends at ${Math.round(box.x + box.width)} px` : null;
}

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { docs: { type: 'boolean' }, out: { type: 'string' } },
    strict: true,
  });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const outDir = values.out ?? DEFAULT_OUT_DIR;
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const demo = await runDemo({ outDir, stdout: () => undefined, stderr: () => undefined });
  console.log(
    `demo: ${demo.run.combined.total} numbers, ${demo.run.combined.unrouted.length} unrouted, ${demo.wallMs} ms; checking ${join(outDir, 'report.html')} in ${executablePath}`,
  );
  const outcomes = await checkReport({
    outDir,
    executablePath,
    docsDir: values.docs ? join(__dirname, '..', 'docs') : undefined,
    log: (line) => console.log(line),
  });
  const failed = outcomes.filter((o) => !o.ok).length;
  console.log(`${outcomes.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`browser check: ${error instanceof Error ? error.message : String(error)}`);
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
}
