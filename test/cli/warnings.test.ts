// What the CLI says on stderr besides progress: each warning with its reason, each fact once.
import { main } from '../../lambda/cli/main';
import { generateAgents, generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { startChangingSimulator } from './incomplete-listing';

const KEY = 'dnx_test_warnings_key_0001';
const NO_AGENTS_KEY = 'dnx_test_warnings_no_agents_0001';
const agents = generateAgents(77, 3);
const portfolio = () => generatePortfolio({ seed: 77, size: 230, agentIds: agents.map((a) => a.id) });

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ numbers: portfolio(), agents, keys: { [KEY]: 'full', [NO_AGENTS_KEY]: 'no-agents' } });
});
afterAll(async () => {
  await sim.close();
});

async function cli(
  argv: string[],
  key: string,
  url = sim.url,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['--base-url', url, '--time-zone', 'UTC', ...argv],
    {
      stdout: {
        write: (t: string | Uint8Array) => out.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8')),
      },
      stderr: { write: (t: string) => err.push(t) },
      env: { DIALNEXA_API_KEY: key },
      isTTY: false,
    },
    { now: () => new Date('2026-11-30T09:00:00Z') },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('warning'));

it('a skipped agent check says why on stderr, without --verbose', async () => {
  const r = await cli(['--json'], NO_AGENTS_KEY);
  expect(r.code).toBe(0);
  expect(warnings(r.stderr)).toEqual([
    'number-audit: warning: agent checks skipped: the API key may not read agents (403); give it read access to agents to name them and find numbers routed to deleted agents',
  ]);
});

it('an incomplete listing is said once on stderr, with its reason', async () => {
  const moving = await startChangingSimulator({ numbers: portfolio(), agents, keys: { [KEY]: 'full' } });
  try {
    const r = await cli(['--json'], KEY, moving.url);
    expect(r.code).toBe(4);
    const mentions = r.stderr.split('\n').filter((l) => /incomplete/i.test(l));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatch(
      /^number-audit: the listing is incomplete \(.*re-list.*\); the report is marked INCOMPLETE\. Run it again later\.$/,
    );
  } finally {
    await moving.close();
  }
});
