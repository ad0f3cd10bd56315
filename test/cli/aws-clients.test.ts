// The CLI loads the AWS SDK clients only for a run that calls AWS: a plain run (the key from the
// environment, no --send) starts without initializing them.
import type * as Main from '../../lambda/cli/main';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';

const KEY = 'dnx_live_lazy_aws_clients_key_0042';
const SIZE = 40;

let sim: Simulator;
let secrets: SecretsLocal;
beforeAll(async () => {
  sim = await startSimulator({ numbers: generatePortfolio({ seed: 77, size: SIZE }), keys: { [KEY]: 'full' } });
  secrets = await startSecretsLocal({ 'prod/dialnexa': KEY });
});
afterAll(async () => {
  await sim.close();
  await secrets.close();
});

/** What a run may load only when it calls AWS: the CLI's clients module and the SDK clients themselves. */
const AWS_MODULES = ['../../lambda/cli/aws-clients', '@aws-sdk/client-ses', '@aws-sdk/client-secrets-manager'];

/**
 * main from a fresh module registry, with each of AWS_MODULES recording its load. Not
 * isolateModules: main requires the clients during the run, after such a callback has returned,
 * so the load would land in the shared registry (and a module cached by an earlier test would
 * never be loaded again).
 */
function loadMain(): { main: typeof Main.main; loaded: string[] } {
  jest.resetModules();
  const loaded: string[] = [];
  for (const name of AWS_MODULES) {
    jest.doMock(name, () => {
      loaded.push(name);
      return jest.requireActual(name);
    });
  }
  return { main: (require('../../lambda/cli/main') as typeof Main).main, loaded };
}

async function run(main: typeof Main.main, argv: string[], env: Record<string, string>): Promise<number> {
  const io = {
    stdout: { write: () => undefined },
    stderr: { write: () => undefined },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    isTTY: false,
  };
  return main(['--base-url', sim.url, '--time-zone', 'UTC', '--json', ...argv], io);
}

it('runs with the key from the environment without loading the AWS SDK clients', async () => {
  const { main, loaded } = loadMain();
  expect(await run(main, [], { DIALNEXA_API_KEY: KEY })).toBe(0);
  expect(loaded).toEqual([]);
});

it('loads them for a run that reads the key from Secrets Manager', async () => {
  const { main, loaded } = loadMain();
  const env = { AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint, AWS_REGION: 'eu-west-1' };
  expect(await run(main, ['--secret-id', 'prod/dialnexa'], env)).toBe(0);
  expect(loaded).toEqual(expect.arrayContaining(AWS_MODULES));
  expect(secrets.calls('prod/dialnexa')).toBeGreaterThanOrEqual(1);
});
