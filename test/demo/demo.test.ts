// `npm run demo` end to end, in-process: simulator, DialNexa client, core, local SES, out/.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditJson } from '../../lambda/core/audit-json';
import { DEMO_MARKER, runDemo, type DemoResult } from '../../scripts/demo';
import { DEMO_FROM, DEMO_TO, demoWorkspace } from '../../scripts/demo-portfolio';
import type { SimRecord } from '../../simulator';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

let tmp: string;
let result: DemoResult;
let audit: AuditJson;
let summary = '';
// The demo workspace in its one clean shape: the same numbers, countries, types and agents,
// without the field variants the client and the core have to untangle.
const truth = demoWorkspace({ variants: 'canonical' }).numbers;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'number-audit-demo-'));
  result = await runDemo({
    outDir: tmp,
    stdout: (t) => {
      summary += t;
    },
    stderr: () => undefined,
  });
  audit = JSON.parse(await readFile(join(tmp, 'audit.json'), 'utf8')) as AuditJson;
}, 30_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/**
 * Country as served: the record's own country_code, else what the number says, with the
 * documented policy that a derived Crown dependency (GG, JE, IM) counts as GB.
 */
function servedCountry(r: SimRecord): string {
  if (typeof r.country_code === 'string' && r.country_code !== '') return r.country_code.toUpperCase();
  const derived = parsePhoneNumberFromString(r.phone_number)?.country ?? 'unknown';
  return ['GG', 'JE', 'IM'].includes(derived) ? 'GB' : derived;
}

function countBy(records: SimRecord[], key: (r: SimRecord) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

it('serves a realistic portfolio: ~1,250 numbers, six or more countries, every type, ~3% unrouted', () => {
  expect(result.inventory).toHaveLength(1250);
  const countries = new Set(truth.map((r) => r.country_code));
  expect(countries.size).toBeGreaterThanOrEqual(6);
  expect(new Set(truth.map((r) => r.type))).toEqual(new Set(['local', 'toll_free', 'mobile']));
  expect(truth.some((r) => r.status === 'pending')).toBe(true);
  expect(truth.some((r) => r.monthly_cost_usd !== undefined)).toBe(true);
  // The served records really are mixed: agent_id next to inbound_agent_id, labels next to nicknames.
  expect(result.inventory.some((r) => 'agent_id' in r)).toBe(true);
  expect(result.inventory.some((r) => 'label' in r)).toBe(true);
  expect(result.inventory.some((r) => !('country_code' in r))).toBe(true);
});

it('attributes cost to the seeded folders and reconciles with the seeded inventory', async () => {
  const audit = JSON.parse(await readFile(result.files['audit.json'], 'utf8')) as AuditJson;
  expect(Object.keys(audit.cost.byFolder ?? {}).sort()).toEqual([
    'fld_collections',
    'fld_sales',
    'fld_support',
    'none',
  ]);
  expect(audit.cost.byFolder?.fld_sales?.name).toBe('Sales');
  const { inventoryFile } = result;
  expect(audit.inventory).toMatchObject({
    rows: 1250,
    matched: 1247,
    priceMismatches: [{ phoneNumber: inventoryFile.mismatched }],
    invalidRows: [{ line: inventoryFile.invalidLine }],
  });
  expect(audit.inventory?.notInDialNexa.map((n) => n.phoneNumber)).toEqual(inventoryFile.extra);
  expect(audit.inventory?.notInInventory.map((n) => n.phoneNumber).sort()).toEqual([...inventoryFile.missing].sort());
  const text = await readFile(result.files['report.txt'], 'utf8');
  expect(text).toContain('COST BY USE CASE');
  expect(text).toMatch(/^Unrouted spend: \$[\d,.]+ a month on 37 active numbers/m);
  expect(text).toContain(
    '1,250 rows in the inventory: 1,247 matched, 2 not in DialNexa, 3 in DialNexa but not in the inventory, 1 price mismatch, 1 invalid row.',
  );
});

it('writes the five files, and keeps a history', async () => {
  expect((await readdir(tmp)).sort()).toEqual([
    'audit.json',
    'email.eml',
    'history',
    'inventory.csv',
    'numbers.csv',
    'report.html',
    'report.txt',
  ]);
  expect(result.run.archived).toHaveLength(1);
  expect(result.run.archived[0].baseline).toBe(true);
  // Marked as the demo's own, so the next run may clear it.
  expect(await readdir(result.historyDir)).toContain(DEMO_MARKER);
});

it("reports exactly what changed since last week's run", () => {
  const { story } = result;
  const changes = audit.changes;
  expect(changes).not.toBeNull();
  const ids = (list: Array<{ id: string }>) => list.map((n) => n.id).sort();
  expect(ids(changes!.added)).toEqual([...story.added].sort());
  expect(ids(changes!.removed)).toEqual([...story.removed].sort());
  expect(ids(changes!.newlyUnrouted)).toEqual([...story.newlyUnrouted].sort());
  expect(ids(changes!.newlyFixed)).toEqual([...story.fixed].sort());
  expect(ids(changes!.routingChanged)).toEqual([...story.rerouted, ...story.newlyUnrouted, ...story.fixed].sort());
  expect(ids(audit.missingAgents ?? [])).toEqual([...story.missingAgent].sort());
  expect(summary).toContain(`+${story.added.length} added, -${story.removed.length} removed`);
});

it("agrees with the simulator's inventory: total, ids, countries, types, unrouted", async () => {
  expect(audit.complete).toBe(true);
  expect(audit.total).toBe(result.inventory.length);
  expect(audit.byCountry).toEqual(countBy(result.inventory, servedCountry));
  expect(audit.byType).toEqual({ ...countBy(truth, (r) => String(r.type)), unknown: 0 });
  const unrouted = truth.filter((r) => r.status === 'active' && !r.inbound_agent_id);
  expect(audit.unroutedCount).toBe(unrouted.length);
  expect(audit.unrouted.map((u) => u.id).sort()).toEqual(unrouted.map((r) => r.id).sort());
  expect(audit.unroutedCount / audit.total).toBeGreaterThan(0.02);
  expect(audit.unroutedCount / audit.total).toBeLessThan(0.04);

  const csvIds = (await readFile(join(tmp, 'numbers.csv'), 'utf8'))
    .trimEnd()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',')[0].replace(/^\uFEFF/, ''));
  expect(new Set(csvIds)).toEqual(new Set(result.inventory.map((r) => r.id)));
});

it('sent the email through the local SES, the same message as email.eml', async () => {
  expect(result.emails).toHaveLength(1);
  const [email] = result.emails;
  expect(email.from).toBe(DEMO_FROM);
  expect(email.destination.to.join(', ')).toBe(DEMO_TO.join(', '));
  expect(email.subject).toContain(`${audit.total.toLocaleString('en-US')} total, ${audit.unroutedCount} unrouted`);
  expect(email.body.html).toContain('Unrouted numbers');
  expect(email.attachments).toHaveLength(1);
  expect(email.attachments[0].filename).toMatch(/^phone-numbers-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(Buffer.from(email.attachments[0].content, 'base64').toString('utf8')).toBe(
    await readFile(join(tmp, 'numbers.csv'), 'utf8'),
  );
  expect(result.run.email.messageId).toBe(email.messageId);
});

it('prints a short summary with the table, the unrouted count and the file paths', () => {
  expect(summary).toMatch(/^Acme Voice \(demo\): 1,250 numbers \(complete\)/);
  expect(summary).toMatch(/^Total\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+1,250$/m);
  expect(summary).toContain(`Unrouted (active, no inbound agent): ${audit.unroutedCount}`);
  expect(summary).toContain('through the local SES emulator');
  expect(summary).toContain('audit.json');
  expect(summary).toMatch(/Done in \d+\.\d s\./);
});

it('--serve keeps the SES web viewer up with the email until closed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'number-audit-serve-'));
  const served = await runDemo({ outDir: dir, keepSesOpen: true, stdout: () => undefined, stderr: () => undefined });
  try {
    const viewer = await fetch(`${served.sesEndpoint}/`);
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('<html');
    const store = (await (await fetch(`${served.sesEndpoint}/store`)).json()) as { emails: unknown[] };
    expect(store.emails.length).toBeGreaterThanOrEqual(1);
  } finally {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  }
  await expect(fetch(`${served.sesEndpoint}/store`)).rejects.toThrow();
});
