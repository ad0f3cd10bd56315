// The command line: a composition root like the Lambda handler. It reads flags once, wires the
// same adapters, calls the one shared runAudit, and maps the outcome to files, stdout and an exit
// code. `main` takes its streams and environment as arguments so tests run it in-process.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { LocalArchive } from '../adapters/archive/local-archive';
import { createDialNexaClient } from '../adapters/dialnexa';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createEnvKeySource } from '../adapters/secrets/env-key-source';
import { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
import { createSesClient, SesRawMailer } from '../adapters/ses/ses-mailer';
import { ConfigError } from '../core/errors';
import type { KeySource } from '../core/ports';
import { parseRateCardText, type RateCard } from '../core/rate-card';
import { runAudit, type AuditRun } from '../core/run-audit';
import { API_KEY_VAR, parseCliArgs, USAGE, wantsHelp, type CliOptions } from './args';
import { EXIT_INCOMPLETE, EXIT_OK, exitCodeFor } from './exit-codes';
import { createCliLogger } from './logger';
import { auditJsonText, writeOutputs } from './output';
import { createProgressReporter } from './progress';
import { createRedactor, type Redactor } from './redact';
import { oneLine, stripControls } from './sanitize';
import { formatSummary } from './summary';

export interface CliIo {
  stdout: { write(text: string): unknown };
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
const ON_DEMAND_HINT = 'Run it again any time from a terminal: npm run --silent audit -- --help';

export async function main(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const started = Date.now();
  const redactor = createRedactor();
  redactor.add(io.env[API_KEY_VAR]);
  const out = (text: string) => void io.stdout.write(redactor.redact(text));
  const err = (text: string) => void io.stderr.write(redactor.redact(text));
  const progress = createProgressReporter({ write: err, isTTY: io.isTTY });

  if (wantsHelp(argv)) {
    out(USAGE);
    return EXIT_OK;
  }

  let verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const options = parseCliArgs(argv, { timeZone: localTimeZone(io.env) });
    verbose = options.verbose;
    const logger = createCliLogger((line) => progress.line(line), verbose);
    const keySource = remembering(keySourceFor(options, io.env, deps), redactor);
    const lister = createDialNexaClient({ baseUrl: options.baseUrl, keySource, logger, ...deps.clientOverrides });
    const mailer = options.send
      ? new SesRawMailer({
          client: deps.sesClient ?? createSesClient(awsClientConfig(io.env, 'AWS_ENDPOINT_URL_SES')),
          configurationSetName: options.configurationSet,
        })
      : undefined;

    const timeoutMs = options.timeoutSeconds * 1000;
    // Leave a tenth of the budget (at most 5 s) to render, write and send.
    const listDeadline = started + timeoutMs - Math.min(5000, timeoutMs / 10);
    const outcome = await runAudit(
      {
        emailBuilder: createReportEmailBuilder(),
        mailer,
        archive: options.historyDir ? new LocalArchive({ dir: options.historyDir }) : undefined,
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
        listDeadline,
        onDemandHint: ON_DEMAND_HINT,
        onProgress: (_workspace, p) => progress.update(p),
        rateCard: options.rateCardFile ? await readRateCard(options.rateCardFile) : undefined,
        writeHistory: options.historyDir !== undefined,
      },
    );
    // Only runs with an idempotency key can be duplicates; the CLI never passes one.
    if (outcome.status === 'duplicate') throw new Error('unexpected duplicate run');
    const run = outcome;
    for (const warning of run.warnings) progress.line(`${PROGRAM}: warning: ${oneLine(warning)}`);
    progress.finish();

    const files = options.outDir ? await writeOutputs(options.outDir, run, (t) => redactor.redact(t)) : undefined;
    if (options.json) {
      out(auditJsonText(run));
    } else {
      const delivery = run.email.messageId
        ? `sent to ${options.to.join(', ')} (SES message id ${run.email.messageId})`
        : 'not sent (dry run; add --send --to ... --from ... to email it)';
      out(formatSummary(run, { files, delivery, wallMs: Date.now() - started }));
    }
    if (!run.complete) {
      err(
        `${PROGRAM}: the listing is incomplete (${oneLine(incompleteReason(run))}); ` +
          `the report is marked INCOMPLETE${files ? ' and the files were written' : ''}. Run it again later.\n`,
      );
      return EXIT_INCOMPLETE;
    }
    return EXIT_OK;
  } catch (error) {
    progress.finish();
    err(`${PROGRAM}: ${describeError(error)}\n`);
    if (verbose && error instanceof Error && error.stack)
      err(`${error.stack.split('\n').map(stripControls).join('\n')}\n`);
    return exitCodeFor(error);
  }
}

function incompleteReason(run: AuditRun): string {
  const reasons = run.workspaces.flatMap((w) =>
    w.ok && !w.complete ? [w.incompleteReason ?? 'the count did not match the API total'] : [],
  );
  return reasons.join('; ') || 'the count did not match the API total';
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

function keySourceFor(options: CliOptions, env: CliIo['env'], deps: CliDeps): KeySource {
  if (options.key.kind === 'env') return createEnvKeySource(options.key.varName, env);
  return createSecretsManagerKeySource({
    secretId: options.key.secretId,
    field: options.key.field,
    // One run, one read: nothing to cache across.
    maxAgeSeconds: 0,
    client: deps.secretsClient ?? new SecretsManagerClient(awsClientConfig(env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER')),
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
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stderr.isTTY === true,
  });
}

if (require.main === module) void runFromProcess();
