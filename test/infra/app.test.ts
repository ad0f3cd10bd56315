// bin/app.ts as the CLI runs it: a configuration mistake ends the synth with one line naming the
// key, not a stack trace.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './helpers';

function runApp(context: Record<string, unknown>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'bin', 'app.ts')],
      // The CLI hands context to the app through this variable.
      { cwd: ROOT, env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context) } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

it('a bad context value stops synth with the key and what is expected', async () => {
  const { code, stdout, stderr } = await runApp({
    recipients: 'ops@example.com',
    sender: 'audit@example.com',
    timeZone: 'Mars/Olympus_Mons',
  });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(
    'Invalid configuration: timeZone: "Mars/Olympus_Mons" is not an IANA time zone (e.g. UTC, Europe/London, Asia/Kolkata)\n',
  );
}, 30_000);

it('a missing required key says how to pass it', async () => {
  const { code, stderr } = await runApp({ sender: 'audit@example.com' });
  expect(code).toBe(1);
  expect(stderr).toBe(
    'Invalid configuration: recipients: is required: one or more email addresses, comma-separated (set it in cdk.json or pass -c recipients=...)\n',
  );
}, 30_000);

it('a problem only the stack finds (an environment too big for Lambda) ends the same way', async () => {
  const rates = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [
      String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
      { local: 1.25 },
    ]),
  );
  const { code, stdout, stderr } = await runApp({
    recipients: 'ops@example.com',
    sender: 'audit@example.com',
    rateCard: { rates },
  });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(
    /^Invalid configuration: rateCard: makes the function's environment \d+ bytes, over Lambda's limit of 4096 bytes for all variables together \(RATE_CARD takes \d+\); fold countries that share a price into a "\*" row\n$/,
  );
}, 30_000);

it('a near-miss of a key fails synth instead of falling back to the default in silence', async () => {
  const { code, stdout, stderr } = await runApp({
    recipients: 'ops@example.com',
    sender: 'audit@example.com',
    timezone: 'Asia/Kolkata',
  });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe('Invalid configuration: timezone: unknown key; did you mean timeZone?\n');
}, 30_000);

it('every missing required key is named in one go', async () => {
  const { code, stderr } = await runApp({});
  expect(code).toBe(1);
  expect(stderr).toBe(
    'Invalid configuration: 2 problems:\n' +
      '  recipients: is required: one or more email addresses, comma-separated (set it in cdk.json or pass -c recipients=...)\n' +
      '  sender: is required: the verified SES address reports come from (set it in cdk.json or pass -c sender=...)\n',
  );
}, 30_000);
