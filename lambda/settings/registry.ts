// The agency's workspace registry: `config/workspaces.json` in the history bucket, one entry per
// client, read at run time by the fan-out state machine's plan step. Checked with the same value
// rules as the stack's `workspaces` list, so an entry means the same thing in either place.
import { ConfigError } from '../core/errors';
import { parseEmailList, parseTimeZone } from '../core/validation';
import { workspaceSlug } from '../adapters/archive/layout';
import { describe } from './schema';
import { parseSecretField, parseWorkspaceName, type SecretRef, parseSecret, secretIdOf } from './values';

/**
 * Entries one registry may hold. The Map's items (names, at most ~103 bytes each as JSON) and its
 * results (`{}`, or a caught client's name and error name) share the 256 KB state payload.
 */
export const MAX_REGISTRY_ENTRIES = 1000;

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
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new ConfigError(setting, `is not valid JSON; expected ${SHAPE}`);
    }
  }
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
  let where = `entry ${i + 1}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ConfigError(setting, `${where} must be an object: ${SHAPE}`);
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined)
    throw new ConfigError(setting, `${where}: unknown field "${unknown}"; the fields are ${FIELDS.join(', ')}`);
  const field = <T>(key: string, parse: (setting: string, v: string) => T): T => {
    const v = e[key];
    if (v === undefined) throw new ConfigError(setting, `${where}: ${key} is required: ${SHAPE}`);
    if (typeof v !== 'string') throw new ConfigError(setting, `${where}: ${key} must be a string (got ${describe(v)})`);
    try {
      return parse(key, v.trim());
    } catch (err) {
      throw err instanceof ConfigError ? new ConfigError(setting, `${where}: ${err.message}`) : err;
    }
  };
  const name = field('name', parseWorkspaceName);
  where = `${where} ("${name}")`;
  const recipients = e.recipients;
  if (recipients !== undefined && !(Array.isArray(recipients) && recipients.every((r) => typeof r === 'string')))
    throw new ConfigError(setting, `${where}: recipients must be a list of email addresses`);
  return {
    name,
    secretId: field('secretId', (s, v) => parsePrefixedSecret(s, v, secretPrefix)),
    ...(e.secretField === undefined ? {} : { secretField: field('secretField', parseSecretField) }),
    ...(recipients === undefined
      ? {}
      : { recipients: wrap(setting, where, () => parseEmailList('recipients', recipients)) }),
    ...(e.timeZone === undefined ? {} : { timeZone: field('timeZone', parseTimeZone) }),
  };
}

function wrap<T>(setting: string, where: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw err instanceof ConfigError ? new ConfigError(setting, `${where}: ${err.message}`) : err;
  }
}
