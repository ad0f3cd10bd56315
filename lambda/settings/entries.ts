// A list of workspace entries as JSON, read the same way by the stack's `workspaces` setting and the
// fan-out's registry: each has its own fields and shape, but one wording for what is wrong with an entry.
import { ConfigError } from '../core/errors';
import { describe } from './schema';
import { parseWorkspaceName } from './values';

/** JSON text or an already parsed value (cdk.json); the length and element checks are the caller's. */
export function parseJsonList(setting: string, value: unknown, shape: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(setting, `is not valid JSON; expected ${shape}`);
  }
}

/** One entry, past its object and field-name checks, with its name read. */
export interface Entry {
  name: string;
  /** `entry 3 ("Acme")`, how a message names the entry. */
  where: string;
  /** The entry's fields as written. */
  raw: Record<string, unknown>;
  /** A required string field, trimmed and parsed; a parser's ConfigError names the entry. */
  field<T>(key: string, parse: (setting: string, v: string) => T): T;
  /** Runs a parser whose ConfigError should name the entry. */
  within<T>(read: () => T): T;
}

/** Entry `i` (0-based) of a list whose entries may hold only `fields`; the name is required. */
export function readEntry(setting: string, entry: unknown, i: number, fields: string[], shape: string): Entry {
  let where = `entry ${i + 1}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ConfigError(setting, `${where} must be an object: ${shape}`);
  const raw = entry as Record<string, unknown>;
  const unknown = Object.keys(raw).find((k) => !fields.includes(k));
  if (unknown !== undefined)
    throw new ConfigError(setting, `${where}: unknown field "${unknown}"; the fields are ${fields.join(', ')}`);
  const within = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      // The parsers name the field; say which entry too.
      throw err instanceof ConfigError ? new ConfigError(setting, `${where}: ${err.message}`) : err;
    }
  };
  const field = <T>(key: string, parse: (setting: string, v: string) => T): T => {
    const v = raw[key];
    if (v === undefined) throw new ConfigError(setting, `${where}: ${key} is required: ${shape}`);
    if (typeof v !== 'string') throw new ConfigError(setting, `${where}: ${key} must be a string (got ${describe(v)})`);
    return within(() => parse(key, v.trim()));
  };
  const name = field('name', parseWorkspaceName);
  where = `${where} ("${name}")`;
  return { name, where, raw, field, within };
}
