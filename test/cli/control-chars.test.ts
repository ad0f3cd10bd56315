// Terminal escape codes in API or server text must never reach the user's terminal: the CLI run
// in-process against the simulator serving them in a nickname and in error messages.
import { main, type CliDeps } from '../../lambda/cli/main';
import { escapeJsonControls, jsonBytes, oneLine, stripControls } from '../../lambda/cli/sanitize';
import { formatSummary } from '../../lambda/cli/summary';
import { auditNumbers } from '../../lambda/core/audit';
import type { AuditJson } from '../../lambda/core/audit-json';
import type { AuditRun } from '../../lambda/core/run-audit';
import { startSimulator, type SimRecord, type Simulator } from '../../simulator';
import { failedWorkspace, phone, workspace } from '../core/fixtures';

// OSC "set window title", "clear screen", a C1 CSI (U+009B) and DEL.
const EVIL = '\x1b]0;owned\x07Front desk\x1b[2J\x9b31m\x7f';
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/; // a newline between lines is fine
const KEY = 'dnx_test_control_chars_key_0001';
const fast: CliDeps['clientOverrides'] = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

const records: SimRecord[] = [
  {
    id: 'phn_evil',
    phone_number: '+12015550100',
    country_code: 'US',
    type: 'local',
    status: 'active',
    inbound_agent_id: null,
    nickname: EVIL,
  },
  {
    id: 'phn_ok',
    phone_number: '+12015550101',
    country_code: 'US',
    type: 'local',
    status: 'active',
    inbound_agent_id: 'agt_1',
    nickname: 'Sales',
  },
];

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    numbers: records,
    agents: [{ id: 'agt_1', current_version: { title: 'Main' } }],
    keys: { [KEY]: 'full' },
  });
});

afterAll(async () => {
  await sim.close();
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['--base-url', sim.url, '--time-zone', 'UTC', ...argv],
    {
      stdout: {
        write: (t: string | Uint8Array) => out.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8')),
      },
      stderr: { write: (t: string) => err.push(t) },
      env: { DIALNEXA_API_KEY: KEY },
      isTTY: false,
    },
    { now: () => new Date('2026-11-30T09:00:00Z'), clientOverrides: fast },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('sanitize', () => {
  it('turns every C0 and C1 control character into a space, keeping the length', () => {
    expect(stripControls('a\x1b[31mb\x9bc\x00d\x7fe\u00a0f')).toBe('a [31mb c d e\u00a0f');
    expect(stripControls(EVIL)).toHaveLength(EVIL.length);
  });

  it('folds line breaks into one space for one-line messages', () => {
    expect(oneLine('  failed:\r\n  \x1b[2Jtry again\n')).toBe('failed:  [2Jtry again');
  });

  it('escapes DEL and C1 in JSON text so it still parses to the same value', () => {
    const json = escapeJsonControls(JSON.stringify({ nickname: EVIL }));
    expect(json).not.toMatch(RAW_CONTROL);
    expect(json).toContain('\\u009b31m');
    expect(JSON.parse(json)).toEqual({ nickname: EVIL });
  });

  it('finds DEL and C1 in the bytes: escaped when there, the very text when not (Latin-1 and beyond included)', () => {
    for (const c of ['\x7f', '\x80', '\x9b', '\x9f']) {
      const json = JSON.stringify({ nickname: `£ © x${c}y 東京` });
      const bytes = jsonBytes(Buffer.from(json));
      expect(bytes.toString('utf8')).toBe(escapeJsonControls(json));
      expect(bytes.toString('utf8')).not.toMatch(RAW_CONTROL);
    }
    const clean = JSON.stringify({ nickname: '£ © \u00a0 ÿ 東京 ok' });
    expect(jsonBytes(Buffer.from(clean)).toString('utf8')).toBe(clean);
  });
});

describe('the CLI prints no escape code from the API', () => {
  it('--json: a nickname with escape codes comes out without them (cleaned when normalized)', async () => {
    const r = await cli(['--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    const audit = JSON.parse(r.stdout) as AuditJson;
    expect(audit.unrouted.map((n) => n.nickname)).toEqual([']0;owned Front desk [2J 31m']);
  });

  it('errors: a server error message with escape codes is printed without them, stack included', async () => {
    sim.enqueueFault({ kind: 'status', status: 500, message: `database on fire\n${EVIL}` }, { page: 1 });
    const r = await cli(['--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^number-audit: DialNexa answered 500.*database on fire {2}\]0;owned Front desk/m);
    expect(r.stderr).toContain('    at '); // the --verbose stack is there, and clean too
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('the summary prints no escape code from server text', () => {
  // Several workspaces (the demo's and the Lambda's case): a failure's message comes from the API.
  const ok = workspace([phone({ id: 'a', nickname: EVIL })], {
    name: `Acme ${EVIL}`,
    agents: { status: 'skipped', reason: `DialNexa said: ${EVIL}` },
    changes: { status: 'skipped', reason: `the previous report could not be used: ${EVIL}` },
  });
  const failed = failedWorkspace('Beta', 'API', `DialNexa answered 500:\r\n${EVIL}`);
  const run: AuditRun = {
    status: 'sent',
    runId: 'run-1',
    generatedAt: new Date('2026-11-30T09:00:00Z'),
    filters: {},
    workspaces: [ok, failed],
    combined: auditNumbers(ok.numbers),
    complete: false,
    failedWorkspaces: 1,
    archiveFailures: 0,
    report: { subject: '', html: '', text: '', csv: Buffer.alloc(0) },
    email: { raw: Buffer.alloc(0), attachment: 'csv', csvCut: false, messageId: `0100-${EVIL}` },
    dryRun: false,
    archived: [],
    warnings: [],
  };
  const summary = formatSummary(run, { delivery: `sent (SES message id 0100-${EVIL})` });

  it('keeps every line, with spaces where the control characters were', () => {
    expect(summary).not.toMatch(RAW_CONTROL);
    const shown = ' ]0;owned Front desk [2J 31m ';
    expect(summary).toContain(`\nAcme ${shown}: Agent check skipped: DialNexa said: ${shown}\n`);
    expect(summary).toContain(`\nAcme ${shown}: Changes: skipped (the previous report could not be used: ${shown})\n`);
    expect(summary).toContain(`\nFAILED Beta: DialNexa answered 500:  ${shown}\n`);
    expect(summary).toContain(`\nEmail: sent (SES message id 0100-${shown})\n`);
  });
});
