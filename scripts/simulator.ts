// `npm run simulator`: the DialNexa simulator on its own, on 127.0.0.1, serving the demo workspace
// until Ctrl-C, so `number-audit` (or anything else) can be pointed at it by hand. Prints the base
// URL, the API key and a command line to paste.
import { parseArgs } from 'node:util';
import { API_KEY_VAR } from '../lambda/cli/args';
import { type Envelope, type SimulatorOptions, startSimulator } from '../simulator';
import { DEMO_SEED, DEMO_SIZE, demoWorkspace } from './demo-portfolio';

export const SIMULATOR_USAGE = `Usage: npm run simulator -- [options]

Serves a simulated DialNexa workspace on 127.0.0.1 until Ctrl-C.

  --port N            TCP port (default 0: any free port)
  --size N            phone numbers served (default ${DEMO_SIZE})
  --seed N            portfolio seed (default ${DEMO_SEED}, the demo's)
  --latency MS        delay before every answer (default 0)
  --envelope NAME     data-meta (the docs, default) or items-total (the OpenAPI contract)
  --rate-limit N      at most N requests per second per key, then 429 with Retry-After
  --throttle-rate P   share of list requests answered 429 at random (0 to 1)
  --error-rate P      share of list requests answered 500, 502 (HTML) or 503 at random (0 to 1)
  -h, --help          this text
`;

export class SimulatorUsageError extends Error {
  override name = 'SimulatorUsageError';
}

export interface SimulatorCommand {
  help: boolean;
  size: number;
  seed: number;
  options: Omit<SimulatorOptions, 'numbers' | 'agents'>;
}

const FLAGS = {
  port: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string' },
  latency: { type: 'string' },
  envelope: { type: 'string' },
  'rate-limit': { type: 'string' },
  'throttle-rate': { type: 'string' },
  'error-rate': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function integer(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new SimulatorUsageError(`--${flag}: expected ${min} to ${max}`);
  return n;
}

function share(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) throw new SimulatorUsageError(`--${flag}: expected 0 to 1`);
  return n;
}

function envelope(text: string | undefined): Envelope | undefined {
  if (text === undefined || text === 'data-meta' || text === 'items-total') return text;
  throw new SimulatorUsageError('--envelope: expected data-meta or items-total');
}

export function parseSimulatorArgs(argv: readonly string[]): SimulatorCommand {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new SimulatorUsageError(error instanceof Error ? error.message : String(error));
  }
  const seed = integer('seed', values.seed, DEMO_SEED, 0, 2 ** 32 - 1);
  const rate429 = share('throttle-rate', values['throttle-rate']);
  const rate5xx = share('error-rate', values['error-rate']);
  if (rate429 + rate5xx > 1) throw new SimulatorUsageError('--throttle-rate and --error-rate add up to more than 1');
  const rateLimit = values['rate-limit'];
  return {
    help: values.help === true,
    size: integer('size', values.size, DEMO_SIZE, 0, 1_000_000),
    seed,
    options: {
      port: integer('port', values.port, 0, 0, 65_535),
      latencyMs: integer('latency', values.latency, 0, 0, 600_000),
      envelope: envelope(values.envelope),
      rateLimit: rateLimit ? { limit: integer('rate-limit', rateLimit, 0, 1, 1_000_000), windowMs: 1000 } : undefined,
      randomFaults: rate429 + rate5xx > 0 ? { seed, rate429, rate5xx } : undefined,
    },
  };
}

/** Quoted for a POSIX shell only when it has to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export function readyText(url: string, apiKey: string, command: SimulatorCommand): string {
  const faults = command.options.randomFaults;
  return [
    `DialNexa simulator: ${command.size} numbers (seed ${command.seed})` +
      (faults
        ? `; random faults on list requests: ${percent(faults.rate429)} 429, ${percent(faults.rate5xx)} 5xx`
        : ''),
    `Base URL: ${url}`,
    `API key:  ${apiKey}`,
    '',
    'Audit it from this folder:',
    `  ${API_KEY_VAR}=${shellWord(apiKey)} npx number-audit --base-url ${shellWord(url)}`,
    '',
    'Ctrl-C stops it.',
    '',
  ].join('\n');
}

async function serve(command: SimulatorCommand): Promise<void> {
  const workspace = demoWorkspace({ seed: command.seed, size: command.size });
  const sim = await startSimulator({ ...command.options, numbers: workspace.numbers, agents: workspace.agents });
  process.stdout.write(readyText(sim.url, sim.apiKey, command));
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping after ${sim.requests.length} requests.\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function runFromProcess(): Promise<void> {
  let command: SimulatorCommand;
  try {
    command = parseSimulatorArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof SimulatorUsageError)) throw error;
    process.stderr.write(`simulator: ${error.message}; see --help\n`);
    process.exitCode = 2;
    return;
  }
  if (command.help) {
    process.stdout.write(SIMULATOR_USAGE);
    return;
  }
  await serve(command);
}

if (require.main === module) {
  runFromProcess().catch((error: unknown) => {
    process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
