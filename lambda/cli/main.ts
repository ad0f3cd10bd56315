// The command line: a composition root like the Lambda handler. It reads flags once, wires the
// same adapters, calls the one shared runAudit, and maps the outcome to files, stdout and an exit
// code. `main` takes its streams and environment as arguments so tests run it in-process.
import { INCOMPLETE_LISTING_WARNING } from '../core/workspace-run';
import { INCOMPLETE_FALLBACK } from '../core/report/model-workspace';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESClient } from '@aws-sdk/client-ses';
import { LocalArchive } from '../adapters/archive/local-archive';
import { createDialNexaClient } from '../adapters/dialnexa';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createEnvKeySource } from '../adapters/secrets/env-key-source';
import type * as AwsClients from './aws-clients';
import { ConfigError } from '../core/errors';
import type { KeySource } from '../core/ports';
import { parseRateCardText, type RateCard } from '../core/rate-card';
import { runAudit, type AuditRun } from '../core/run-audit';
import { API_KEY_VAR, maxBaselineLoss, parseCliArgs, USAGE, wantsHelp, type CliOptions } from './args';
import { EXIT_INCOMPLETE, EXIT_OK, exitCodeFor } from './exit-codes';
import { createCliLogger } from './logger';
import { checkAwsAccess, nodeVersionNote, SDK_NODE_WARNING_VAR } from './aws-preflight';
import { readInventoryFile } from './inventory-file';
import { prepareWritableDir } from './local-paths';
import { allWritten, auditJsonBytes, failAfter, OUTPUT_FILES, startOutputs } from './output';
import { createProgressReporter, type ProgressReporter } from './progress';
import { createRedactor, type Redactor } from './redact';
import { oneLine, stripControls } from './sanitize';
import { formatSummary } from './summary';
import { createRunTimings, type RunTimings } from './timings';

export interface CliIo {
  /** Bytes as well as text: --json hands over the very buffer it writes to audit.json. */
  stdout: { write(text: string | Uint8Array): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** stderr is a terminal: draw a progress bar instead of plain lines. */
  isTTY: boolean;
}

/** Seams for tests; the real CLI builds these from the environment. */
export interface CliDeps {
  now?: () => Date;
  secretsClient?: SecretsManagerClient;
  sesClient?: SESClient;
  /** Passed to the DialNexa client (e.g. fewer retries in tests). */
  clientOverrides?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; requestTimeoutMs?: number };
}

export const PROGRAM = 'number-audit';

/**
 * The AWS SDK clients, loaded by the first run that calls AWS (--send, --secret-id): every other
 * run starts without initializing them. require, so the call sites stay synchronous; esbuild
 * defers the module's init to the first call.
 */
const awsClients = (): typeof AwsClients => require('./aws-clients');
/** The core's warning for an incomplete listing: reportRun says it once, with what was written. */
const ON_DEMAND_HINT = 'Run it again any time from a terminal: npm run --silent audit -- --help';

/** What one invocation of `main` writes through and measures against. */
interface Session {
  io: CliIo;
  deps: CliDeps;
  /** Date.now() when main started: the --timeout budget and the summary's wall time count from it. */
  started: number;
  redactor: Redactor;
  progress: ProgressReporter;
  /** Phases of the run, printed with --verbose. */
  timings: RunTimings;
  out(text: string): void;
  /** The report's own data (audit.json): no pass over it, see reportRun. */
  outData(bytes: Uint8Array): void;
  err(text: string): void;
}

export async function main(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const session = openSession(io, deps);
  if (wantsHelp(argv)) {
    session.out(USAGE);
    return EXIT_OK;
  }

  let verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const options = parseCliArgs(argv, { timeZone: localTimeZone(io.env) });
    verbose = options.verbose;
    await checkLocalPaths(options);
    const run = await auditOnce(options, session);
    const code = await session.timings.write(() => reportRun(run, options, session));
    if (verbose) session.err(`${PROGRAM}: ${session.timings.line()}\n`);
    return code;
  } catch (error) {
    session.progress.finish();
    session.err(`${PROGRAM}: ${describeError(error)}\n`);
    if (verbose && error instanceof Error && error.stack)
      session.err(`${error.stack.split('\n').map(stripControls).join('\n')}\n`);
    return exitCodeFor(error);
  }
}

/** Before the listing: a bad folder must not cost one. */
async function checkLocalPaths(options: CliOptions): Promise<void> {
  if (options.outDir !== undefined) await prepareWritableDir('--out', options.outDir);
  if (options.historyDir !== undefined) await prepareWritableDir('--history', options.historyDir);
}

/** Every byte written goes through the redactor, which knows the key from the environment from the start. */
function openSession(io: CliIo, deps: CliDeps): Session {
  const started = Date.now();
  const redactor = createRedactor();
  redactor.add(io.env[API_KEY_VAR]);
  const err = (text: string) => void io.stderr.write(redactor.redact(text));
  return {
    io,
    deps,
    started,
    redactor,
    progress: createProgressReporter({ write: err, isTTY: io.isTTY }),
    timings: createRunTimings(),
    out: (text) => void io.stdout.write(redactor.redact(text)),
    outData: (bytes) => void io.stdout.write(bytes),
    err,
  };
}

/** Wires the adapters for one workspace and runs the shared runAudit; warnings go to stderr. */
async function auditOnce(options: CliOptions, session: Session): Promise<AuditRun> {
  const { io, deps, redactor, progress, timings } = session;
  const logger = createCliLogger((line) => progress.line(line), options.verbose, {
    saidLater: (message) => message === INCOMPLETE_LISTING_WARNING,
  });
  const aws = await awsClientsFor(options, session);
  const rateCard = options.rateCardFile ? await readRateCard(options.rateCardFile) : undefined;
  const inventory = options.inventoryFile ? await readInventoryFile(options.inventoryFile) : undefined;
  const keySource = remembering(keySourceFor(options, io.env, aws.secrets), redactor);
  const lister = timings.lister(
    createDialNexaClient({ baseUrl: options.baseUrl, keySource, logger, ...deps.clientOverrides }),
  );
  const outcome = await timings.audit(() =>
    runAudit(
      {
        emailBuilder: timings.emailBuilder(createReportEmailBuilder()),
        mailer:
          aws.ses &&
          new (awsClients().SesRawMailer)({ client: aws.ses, configurationSetName: options.configurationSet }),
        archive: options.historyDir ? new LocalArchive({ dir: options.historyDir }) : undefined,
        inventory,
        now: deps.now ?? (() => new Date()),
        logger,
      },
      {
        workspaces: [{ name: options.workspaceName, lister }],
        runId: randomUUID(),
        timeZone: options.timeZone,
        filters: options.filters,
        from: options.from,
        to: options.to,
        replyTo: options.replyTo,
        dryRun: !options.send,
        listDeadline: listDeadline(session.started, options.timeoutSeconds),
        onDemandHint: ON_DEMAND_HINT,
        onProgress: (_workspace, p) => progress.update(p),
        rateCard,
        writeHistory: options.historyDir !== undefined,
        maxBaselineLoss: maxBaselineLoss(options),
        confirmBaseline: options.confirmBaseline,
        checkUsage: options.usage.check,
        usageWindowDays: options.usage.windowDays,
        usageRequestBudget: options.usage.budget,
      },
    ),
  );
  // Only runs with an idempotency key can be duplicates; the CLI never passes one.
  if (outcome.status === 'duplicate') throw new Error('unexpected duplicate run');
  for (const warning of outcome.warnings) progress.line(`${PROGRAM}: warning: ${oneLine(warning)}`);
  progress.finish();
  return outcome;
}

/** The AWS clients this run calls, each with its region and credentials resolved before the listing. */
async function awsClientsFor(
  options: CliOptions,
  { io, deps, progress }: Session,
): Promise<{ ses?: SESClient; secrets?: SecretsManagerClient }> {
  const ses = options.send
    ? (deps.sesClient ?? awsClients().createSesClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_SES')))
    : undefined;
  const secrets =
    options.key.kind === 'secret'
      ? (deps.secretsClient ??
        awsClients().createSecretsClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER')))
      : undefined;
  if (secrets) await checkAwsAccess(secrets, '--secret-id', 'Secrets Manager');
  if (ses) await checkAwsAccess(ses, '--send', 'SES');
  // The SDK's own opt-out silences the note too.
  const quiet = io.env[SDK_NODE_WARNING_VAR] === 'true';
  const note = (ses || secrets) && !quiet ? nodeVersionNote(process.version) : undefined;
  if (note) progress.line(`${PROGRAM}: ${note}`);
  return { ses, secrets };
}

/** Leave a tenth of the --timeout budget (at most 5 s) to render, write and send. */
function listDeadline(started: number, timeoutSeconds: number): number {
  const timeoutMs = timeoutSeconds * 1000;
  return started + timeoutMs - Math.min(5000, timeoutMs / 10);
}

/** `make()`, or, when it throws, its error once the writes already started have ended. */
async function afterWrites<T>(writes: Promise<void> | undefined, make: () => T): Promise<T> {
  try {
    return make();
  } catch (error) {
    return failAfter([writes], error);
  }
}

/** Every file but audit.json: they are ready before it is made. */
const WRITTEN_FIRST = OUTPUT_FILES.filter((name) => name !== 'audit.json');

/** Files, then the JSON or the summary on stdout; an incomplete listing is explained on stderr. */
async function reportRun(run: AuditRun, options: CliOptions, session: Session): Promise<number> {
  const { out, err } = session;
  // Not scrubbed as a whole: every string in them that came from DialNexa was scrubbed of the key as
  // it arrived (adapters/dialnexa/scrub.ts), and nothing of ours holds it. audit.json is made and
  // encoded once for the file and stdout (10-20 MB at 20k numbers). The thread pool writes the other
  // files while it is made, and it while stdout (synchronous on a pipe) takes the JSON; a failed
  // write still fails the run below.
  const others = options.outDir ? startOutputs(options.outDir, run, {}, WRITTEN_FIRST) : undefined;
  const json = options.json ? await afterWrites(others?.written, () => auditJsonBytes(run)) : undefined;
  const last = options.outDir ? startOutputs(options.outDir, run, { 'audit.json': json }, ['audit.json']) : undefined;
  if (json !== undefined) session.outData(json);
  await allWritten([others?.written, last?.written]);
  const files = others?.paths;
  if (json === undefined) {
    out(formatSummary(run, { files, delivery: deliveryLine(run, options), wallMs: Date.now() - session.started }));
  }
  if (run.complete) return EXIT_OK;
  err(
    `${PROGRAM}: the listing is incomplete (${oneLine(incompleteReason(run))}); ` +
      `the report is marked INCOMPLETE${files ? ' and the files were written' : ''}. Run it again later.\n`,
  );
  return EXIT_INCOMPLETE;
}

function deliveryLine(run: AuditRun, options: CliOptions): string {
  return run.email.messageId
    ? `sent to ${options.to.join(', ')} (SES message id ${run.email.messageId})`
    : 'not sent (dry run; add --send --to ... --from ... to email it)';
}

function incompleteReason(run: AuditRun): string {
  const reasons = run.workspaces.flatMap((w) =>
    w.ok && !w.complete ? [w.incompleteReason ?? INCOMPLETE_FALLBACK] : [],
  );
  return reasons.join('; ') || INCOMPLETE_FALLBACK;
}

async function readRateCard(file: string): Promise<RateCard> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConfigError('--rate-card', `cannot read ${file} (${code})`);
  }
  return parseRateCardText(text, '--rate-card');
}

function keySourceFor(options: CliOptions, env: CliIo['env'], client: SecretsManagerClient | undefined): KeySource {
  if (options.key.kind === 'env') return createEnvKeySource(options.key.varName, env);
  if (client === undefined) throw new Error('--secret-id without a Secrets Manager client');
  return awsClients().createSecretsManagerKeySource({
    secretId: options.key.secretId,
    field: options.key.field,
    // One run, one read: nothing to cache across.
    maxAgeSeconds: 0,
    client,
    settingName: '--secret-id',
  });
}

/** Teaches the redactor every key value the run actually used (e.g. one read from Secrets Manager). */
function remembering(source: KeySource, redactor: Redactor): KeySource {
  return {
    description: source.description,
    async getKey(options) {
      const key = await source.getKey(options);
      redactor.add(key);
      return key;
    },
  };
}

/** The SDK reads process.env itself; `env` is passed explicitly so in-process runs stay isolated. */
function awsClientConfig(env: CliIo['env'], endpointVar: string): { endpoint?: string; region?: string } {
  const endpoint = env[endpointVar] ?? env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
}

function localTimeZone(env: CliIo['env']): string {
  const zone = env.TZ?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

function describeError(error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message || error.name : String(error));
  if (error instanceof ConfigError && error.setting === API_KEY_VAR) return `${message} (or pass --secret-id ID)`;
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    return `${message}. Configure AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...) for SES and Secrets Manager`;
  }
  return message;
}

/** Runs the CLI on this process's argv and streams (bin/number-audit.js and `npm run audit`). */
export async function runFromProcess(): Promise<void> {
  // The SDK's warning takes 8 lines; main prints a one-line note instead, unless the user opted out.
  const env = { ...process.env };
  process.env[SDK_NODE_WARNING_VAR] = 'true';
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    isTTY: process.stderr.isTTY === true,
  });
}

if (require.main === module) void runFromProcess();
