// The agency's workspace registry: `config/workspaces.json` in the history bucket, one entry per
// client, read at run time by the fan-out state machine's plan step. Checked with the same value
// rules as the stack's `workspaces` list, so an entry means the same thing in either place.
import { ConfigError } from '../core/errors';
import { parseEmailList, parseTimeZone } from '../core/validation';
import { workspaceSlug } from '../adapters/archive/layout';
import { parseJsonList, readEntry } from './entries';
import { parseSecretField, type SecretRef, parseSecret, secretIdOf } from './values';

/**
 * Entries one registry may hold. The plan step hands the Map only their indices (10,000 of them are
 * about 49 KB of JSON) and every state payload must stay under Step Functions' 256 KiB: at this cap the
 * largest is about a quarter of it (test/infra/fan-out-execution.test.ts measures it), leaving room
 * for the execution's input. The roll-up, which reads every client's summary in one invocation, is
 * the next bound (about 20,000 reads in 25 at a time).
 */
export const MAX_REGISTRY_ENTRIES = 10_000;

/**
 * Entries the stack's own `workspaces` list may hold in fan-out mode: unlike the registry, it
 * travels whole in the state machine's definition and the plan step's input; more clients belong
 * in the registry.
 */
export const MAX_CONTEXT_WORKSPACES = 1000;

/** One client: its workspace, the secret holding its key, and who gets its own report. */
export interface RegistryEntry {
  name: string;
  secretId: string;
  secretField?: string;
  /** The client's own report goes to these addresses; none: only the agency's roll-up lists it. */
  recipients?: string[];
  /** The client's own report's dates; default the stack's timeZone. */
  timeZone?: string;
}

const FIELDS = ['name', 'secretId', 'secretField', 'recipients', 'timeZone'];
const SHAPE =
  '[{"name": "Acme", "secretId": "number-audit/acme"}, ...] (optional per entry: secretField, recipients, timeZone)';

/**
 * The registry's JSON text (or parsed value). Every secret must be a name under `secretPrefix`:
 * the workspace task's role may read exactly the secrets under that prefix.
 */
export function parseRegistry(setting: string, value: unknown, secretPrefix: string): RegistryEntry[] {
  const list = parseJsonList(setting, value, SHAPE);
  if (!Array.isArray(list) || list.length > MAX_REGISTRY_ENTRIES) {
    throw new ConfigError(setting, `must be a list of at most ${MAX_REGISTRY_ENTRIES} workspaces: ${SHAPE}`);
  }
  return checkUnique(
    setting,
    list.map((entry: unknown, i) => parseRegistryEntry(setting, entry, i, secretPrefix)),
  );
}

/** Names differ ignoring case, and no two share a history folder (reports/<slug>/). */
export function checkUnique<T extends { name: string }>(setting: string, entries: T[]): T[] {
  const slugs = new Map<string, string>();
  entries.forEach((e, i) => {
    const slug = workspaceSlug(e.name);
    const other = slugs.get(slug);
    if (other !== undefined) {
      throw new ConfigError(
        setting,
        `entry ${i + 1} ("${e.name}"): ${
          other.toLowerCase() === e.name.toLowerCase()
            ? 'the name is already used'
            : `"${other}" and "${e.name}" would share the history folder reports/${slug}/; rename one`
        }`,
      );
    }
    slugs.set(slug, e.name);
  });
  return entries;
}

/** A secret name under the prefix (an ARN cannot be matched to a name prefix before it exists). */
export function parsePrefixedSecret(setting: string, v: string, secretPrefix: string): string {
  const secret: SecretRef = parseSecret(setting, v);
  if (secret.kind !== 'name' || !secret.name.startsWith(secretPrefix)) {
    throw new ConfigError(
      setting,
      `"${v}" must be a secret name starting with "${secretPrefix}" (the prefix the task may read, workspaceSecretPrefix)`,
    );
  }
  return secretIdOf(secret);
}

function parseRegistryEntry(setting: string, entry: unknown, i: number, secretPrefix: string): RegistryEntry {
  const { name, where, raw, field, within } = readEntry(setting, entry, i, FIELDS, SHAPE);
  const recipients = raw.recipients;
  if (recipients !== undefined && !(Array.isArray(recipients) && recipients.every((r) => typeof r === 'string')))
    throw new ConfigError(setting, `${where}: recipients must be a list of email addresses`);
  return {
    name,
    secretId: field('secretId', (s, v) => parsePrefixedSecret(s, v, secretPrefix)),
    ...(raw.secretField === undefined ? {} : { secretField: field('secretField', parseSecretField) }),
    ...(recipients === undefined ? {} : { recipients: within(() => parseEmailList('recipients', recipients)) }),
    ...(raw.timeZone === undefined ? {} : { timeZone: field('timeZone', parseTimeZone) }),
  };
}
