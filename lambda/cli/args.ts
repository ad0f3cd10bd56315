// Command-line flags -> validated options. Every problem is a ConfigError naming the flag, so the
// CLI can answer with one line and exit code 2.
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors';
import type { ListFilters } from '../core/types';
import { parseCountryCode, parseNumberType } from '../core/validation';
import { readFlag, SETTINGS } from '../settings';

const S = SETTINGS;
export const DEFAULT_TIMEOUT_SECONDS = S.timeoutSeconds.default;
export const DEFAULT_WORKSPACE_NAME = S.workspaceName.default;
export const API_KEY_VAR = 'DIALNEXA_API_KEY';
/** Addresses written into a dry run's email.eml when --from / --to are not given (RFC 2606 domain). */
export const DRY_RUN_FROM = 'number-audit@example.com';
export const DRY_RUN_TO = 'report-reader@example.com';

export type KeyOrigin = { kind: 'env'; varName: string } | { kind: 'secret'; secretId: string; field: string };

export interface CliOptions {
  help: boolean;
  verbose: boolean;
  /** stdout carries the audit JSON and nothing else. */
  json: boolean;
  baseUrl: string;
  key: KeyOrigin;
  filters: ListFilters;
  outDir?: string;
  /** Run history folder (same layout as the S3 archive): enables "changes since the last run". */
  historyDir?: string;
  /** Rate card JSON file: monthly cost for numbers the API gives none for. */
  rateCardFile?: string;
  /** Internal inventory CSV to reconcile the numbers with. */
  inventoryFile?: string;
  /** Send through SES; otherwise the email is only built (a dry run). */
  send: boolean;
  from: string;
  to: string[];
  replyTo?: string[];
  configurationSet?: string;
  timeZone: string;
  workspaceName: string;
  timeoutSeconds: number;
  /** --baseline-guard-percent when given (read it with maxBaselineLoss). */
  baselineGuardPercent?: number;
  /** --confirm-baseline: numbers missing since the baseline really are gone. */
  confirmBaseline?: boolean;
  /** Numbers nobody calls: --no-usage, --usage-window DAYS, --usage-budget N. */
  usage: { check: boolean; windowDays: number; budget: number };
}

const FLAGS = {
  'base-url': { type: 'string' },
  'secret-id': { type: 'string' },
  'secret-field': { type: 'string' },
  'country-code': { type: 'string' },
  type: { type: 'string' },
  out: { type: 'string' },
  history: { type: 'string' },
  'rate-card': { type: 'string' },
  inventory: { type: 'string' },
  json: { type: 'boolean' },
  send: { type: 'boolean' },
  to: { type: 'string', multiple: true },
  from: { type: 'string' },
  'reply-to': { type: 'string', multiple: true },
  'configuration-set': { type: 'string' },
  'time-zone': { type: 'string' },
  'workspace-name': { type: 'string' },
  timeout: { type: 'string' },
  'baseline-guard-percent': { type: 'string' },
  'confirm-baseline': { type: 'boolean' },
  'no-usage': { type: 'boolean' },
  'usage-window': { type: 'string' },
  'usage-budget': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

export const USAGE = `Usage: number-audit [options]

Lists every phone number of a DialNexa workspace, audits it (counts by country and type,
unrouted numbers, monthly cost) and writes, prints or emails the report.

Source
  --base-url URL            DialNexa API (default ${S.baseUrl.default})
                            The key comes from ${API_KEY_VAR}, or:
  --secret-id ID            read the key from this Secrets Manager secret (name or ARN)
  --secret-field NAME       JSON field holding the key in that secret (default ${S.secretField.default})
  --country-code CC         only numbers of this country (e.g. IN, US)
  --type TYPE               only numbers of this type: local, toll_free, mobile

Output
  --out DIR                 write report.html, report.txt, numbers.csv, audit.json, email.eml
  --history DIR             keep every run in DIR and report what changed since the last one
  --rate-card FILE          monthly cost by country and type for numbers the API gives none for
  --inventory FILE          internal inventory CSV (phone_number, cost_center, owner, monthly_cost) to reconcile with
  --json                    print the audit JSON to stdout and nothing else
  --send                    email the report through SES (needs --to and --from)
  --to ADDR[,ADDR]          recipients
  --from ADDR               sender (an SES-verified identity)
  --reply-to ADDR[,ADDR]    Reply-To addresses
  --configuration-set NAME  SES configuration set for the send
  --time-zone ZONE          zone for dates in the report (default: this machine's, else ${S.timeZone.default})
  --workspace-name NAME     name shown in the report (default "${DEFAULT_WORKSPACE_NAME}")
  --baseline-guard-percent N  hold back a run that lost more than N% of the last one (default ${S.baselineGuardPercent.default})
  --confirm-baseline        the numbers really are gone: let this run become the baseline anyway
  --usage-window DAYS       a number with no call in this many days is idle (default ${S.usageWindowDays.default})
  --usage-budget N          most GET /v1/calls requests for that check (default ${S.usageRequestBudget.default})
  --no-usage                do not look for numbers nobody calls

Run
  --timeout SECONDS         give up after this long (default ${DEFAULT_TIMEOUT_SECONDS})
  --verbose, -v             log each step and print stacks on errors
  --help, -h                show this help

Progress goes to stderr. AWS calls use the standard credential chain and honour
AWS_ENDPOINT_URL_SES / AWS_ENDPOINT_URL_SECRETS_MANAGER.

Exit codes
  0 ok   1 other failure   2 usage or configuration error
  3 authentication or permission error   4 incomplete listing (files still written)
`;

export interface ParseDefaults {
  timeZone?: string;
}

export function parseCliArgs(argv: readonly string[], defaults: ParseDefaults = {}): CliOptions {
  let values: FlagValues;
  try {
    ({ values } = parseFlags(argv));
  } catch (err) {
    throw toUsageError(err);
  }
  const filters: ListFilters = {};
  if (values['country-code'] !== undefined)
    filters.countryCode = parseCountryCode('--country-code', values['country-code']);
  if (values.type !== undefined) filters.type = parseNumberType('--type', values.type);

  const outDir = values.out?.trim();
  if (outDir === '') throw new ConfigError('--out', 'needs a directory');
  const historyDir = values.history?.trim();
  if (historyDir === '') throw new ConfigError('--history', 'needs a directory');
  const rateCardFile = values['rate-card']?.trim();
  if (rateCardFile === '') throw new ConfigError('--rate-card', 'needs a file');
  const inventoryFile = values.inventory?.trim();
  if (inventoryFile === '') throw new ConfigError('--inventory', 'needs a file');

  return {
    help: values.help === true,
    verbose: values.verbose === true,
    json: values.json === true,
    baseUrl: readFlag(S.baseUrl, values['base-url']),
    key: keyOrigin(values),
    filters,
    ...(outDir !== undefined ? { outDir } : {}),
    ...(historyDir !== undefined ? { historyDir } : {}),
    ...(rateCardFile !== undefined ? { rateCardFile } : {}),
    ...(inventoryFile !== undefined ? { inventoryFile } : {}),
    ...emailOptions(values),
    timeZone: readFlag(S.timeZone, values['time-zone'] ?? defaults.timeZone),
    workspaceName: readFlag(S.workspaceName, values['workspace-name']?.trim() || undefined),
    timeoutSeconds: readFlag(S.timeoutSeconds, values.timeout),
    baselineGuardPercent:
      values['baseline-guard-percent'] === undefined
        ? undefined
        : readFlag(S.baselineGuardPercent, values['baseline-guard-percent']),
    confirmBaseline: values['confirm-baseline'],
    usage: {
      check: values['no-usage'] === true ? false : readFlag(S.checkUsage, undefined),
      windowDays: readFlag(S.usageWindowDays, values['usage-window']),
      budget: readFlag(S.usageRequestBudget, values['usage-budget']),
    },
  };
}

/** The share (0-1) of the baseline a run may lose and still become the baseline. */
export function maxBaselineLoss(options: Pick<CliOptions, 'baselineGuardPercent'>): number {
  return (options.baselineGuardPercent ?? readFlag(S.baselineGuardPercent, undefined)) / 100;
}

type FlagValues = ReturnType<typeof parseFlags>['values'];

/** The key comes from the environment unless --secret-id names a secret. */
function keyOrigin(values: FlagValues): KeyOrigin {
  const secretId = values['secret-id'];
  if (secretId === undefined) {
    if (values['secret-field'] !== undefined) throw new ConfigError('--secret-field', 'only applies with --secret-id');
    return { kind: 'env', varName: API_KEY_VAR };
  }
  return {
    kind: 'secret',
    secretId: readFlag(S.secret, secretId),
    field: readFlag(S.secretField, values['secret-field']),
  };
}

/** Without --send the email is only built, to placeholder addresses unless --to / --from are given. */
function emailOptions(values: FlagValues): Pick<CliOptions, 'send' | 'from' | 'to' | 'replyTo' | 'configurationSet'> {
  const send = values.send === true;
  if (send && values.to === undefined) throw new ConfigError('--to', 'is required with --send');
  if (send && values.from === undefined) throw new ConfigError('--from', 'is required with --send');
  const configurationSet = values['configuration-set'];
  if (configurationSet !== undefined && !send) throw new ConfigError('--configuration-set', 'only applies with --send');
  return {
    send,
    from: values.from === undefined ? DRY_RUN_FROM : readFlag(S.sender, values.from),
    to: values.to === undefined ? [DRY_RUN_TO] : readFlag(S.recipients, values.to.join(',')),
    ...(values['reply-to'] !== undefined ? { replyTo: readFlag(S.replyTo, values['reply-to'].join(',')) } : {}),
    ...(configurationSet !== undefined ? { configurationSet: readFlag(S.sesConfigurationSet, configurationSet) } : {}),
  };
}

/** Only --help, without validating anything else, so `--help` works even next to a bad value. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
}

/** node:util's messages are long and talk about positionals; say what to fix instead. */
function toUsageError(err: unknown): ConfigError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-{1,2}[^' ]*)/.exec(message)?.[1] ?? /'([^']*)'/.exec(message)?.[1] ?? '(arguments)';
  const name = flag.replace(/[^\x20-\x7e]/g, '?').slice(0, 60);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new ConfigError(name, 'is not an option; see --help');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new ConfigError(name, 'is not an option (options start with --); see --help');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message)
        ? new ConfigError(name, 'takes no value')
        : new ConfigError(name, 'needs a value');
    default:
      return new ConfigError('(arguments)', `${message}; see --help`);
  }
}
