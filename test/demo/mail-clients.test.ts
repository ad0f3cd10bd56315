// The demo's email against the Can I email database (@jsx-email/doiuse-email) for the clients
// most readers use. Any feature one of them drops must be on the allowlist in docs/email.md, where
// each entry says why losing it is only cosmetic; an entry the email no longer needs is stale.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { doIUseEmail } from '@jsx-email/doiuse-email';
import { runDemo } from '../../scripts/demo';

const CLIENTS = ['gmail.*', 'outlook.*', 'apple-mail.*', 'yahoo.*'];
const DOCS = join(__dirname, '..', '..', 'docs', 'email.md');

/** Rows of the table under "## Mail clients": the feature, then why its loss is only cosmetic. */
function allowlistRows(markdown: string): Array<{ feature: string; why: string }> {
  const start = markdown.indexOf('\n## Mail clients');
  if (start < 0) throw new Error('docs/email.md has no "## Mail clients" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)` +\|[^|]*\|([^|]*)\|$/gm)].map((m) => ({
    feature: m[1] ?? '',
    why: (m[2] ?? '').trim(),
  }));
}

function allowlist(markdown: string): string[] {
  return allowlistRows(markdown).map((r) => r.feature);
}

/** "`white-space` is not supported by `outlook.windows`" -> white-space -> [outlook.windows]. */
function dropped(errors: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of errors) {
    const m = /^`(.+?)` is not supported by `(.+?)`/.exec(e);
    if (!m) throw new Error(`unexpected doiuse error: ${e}`);
    const [, feature = '', client = ''] = m;
    out.set(feature, [...new Set([...(out.get(feature) ?? []), client])]);
  }
  return out;
}

let html = '';
let tmp = '';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'number-audit-clients-'));
  await runDemo({ outDir: tmp, stdout: () => undefined, stderr: () => undefined });
  html = await readFile(join(tmp, 'report.html'), 'utf8');
}, 30_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('the allowlist is short and every entry says why', () => {
  const rows = allowlistRows(readFileSync(DOCS, 'utf8'));
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.length).toBeLessThanOrEqual(5);
  for (const { feature, why } of rows) expect({ feature, why: why.length >= 40 }).toEqual({ feature, why: true });
});

test('Gmail, Outlook, Apple Mail and Yahoo drop no feature of the email that is not on the allowlist', () => {
  const result = doIUseEmail(html, { emailClients: CLIENTS });
  const features = dropped('errors' in result ? result.errors : []);
  const listed = new Set(allowlist(readFileSync(DOCS, 'utf8')));
  const unlisted = [...features].filter(([f]) => !listed.has(f)).map(([f, clients]) => `${f}: ${clients.join(', ')}`);
  expect(unlisted).toEqual([]);
  // An entry the email no longer needs goes, so the list stays the truth.
  expect([...listed].filter((f) => !features.has(f))).toEqual([]);
});

test('the check sees a dropped feature: the CSS the email gave up fails it', () => {
  const result = doIUseEmail('<html><body><p style="overflow-wrap:anywhere;">x</p></body></html>', {
    emailClients: CLIENTS,
  });
  expect(dropped('errors' in result ? result.errors : []).get('overflow-wrap')).toContain('gmail.ios');
});
