// How a setting's value is read on any surface. A schema takes the raw value (a string from the
// environment, a flag or `-c`, or a JSON value from cdk.json) and yields the clean value; a problem is
// a zod issue without the setting's name, which the reader adds (context key, variable or flag).
import * as z from 'zod';
import { ConfigError } from '../core/errors';

/** What an operator writes: text on the command line and in the environment, JSON in cdk.json. */
export type RawValue = string | number | boolean;

/** The name validators are called with inside a schema; the reader swaps in the surface's name. */
const PLACEHOLDER = 'value';

/** A schema around a validator that throws ConfigError (the shared validators all do). */
export function validated<T>(parse: (value: unknown, setting: string) => T): z.ZodType<T> {
  return z.unknown().transform((value, ctx) => {
    try {
      return parse(value, PLACEHOLDER);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message.slice(err.setting.length + 2) });
      return z.NEVER;
    }
  });
}

/** Parses `raw` with `schema`, or throws ConfigError naming the setting as this surface calls it. */
export function parseSetting<T>(schema: z.ZodType<T>, name: string, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(name, result.error.issues[0]?.message ?? 'is not valid');
}

/** `-c key=`, an empty variable and JSON null all mean "not given". */
export function isAbsent(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

// ---- value shapes: cdk.json may hold any JSON, the other surfaces only text ----------------------

export function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}

export function asText(setting: string, value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigError(setting, `must be a string (got ${describe(value)})`);
}

export function asList(setting: string, value: unknown): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigError(setting, `must be a comma-separated string or an array of strings (got ${describe(value)})`);
}

export function asInteger(setting: string, value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new ConfigError(setting, `must be a whole number (got ${describe(value)})`);
}

/** A text value checked by `parse`. */
export function text<T = string>(parse: (setting: string, value: string) => T = (_s, v) => v as T): z.ZodType<T> {
  return validated((value, setting) => parse(setting, asText(setting, value)));
}
