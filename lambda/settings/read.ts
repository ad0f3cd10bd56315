// Reading a setting on one surface: the stack's context, the function's environment or a CLI flag.
// Every problem is a ConfigError naming the setting as that surface calls it.
import type * as z from 'zod';
import { ConfigError } from '../core/errors';
import { isAbsent, parseSetting, type RawValue } from './schema';
import type { SettingSpec, Surface } from './settings';

type ContextSpec = SettingSpec & { readonly context: string };
type EnvSpec = SettingSpec & { readonly env: string };
type FlagSpec = SettingSpec & { readonly flag: string };

/** The value the stack holds (and the environment is written from). */
export type ContextValue<S extends SettingSpec> = z.output<
  S extends { readonly contextSchema: z.ZodType } ? S['contextSchema'] : S['schema']
>;
export type EnvValue<S extends SettingSpec> = z.output<
  S extends { readonly envSchema: z.ZodType } ? S['envSchema'] : S['schema']
>;
export type FlagValue<S extends SettingSpec> = z.output<S['schema']>;

export function defaultOn(spec: SettingSpec, surface: Surface): RawValue | undefined {
  return spec.defaultOn === undefined || spec.defaultOn.includes(surface) ? spec.default : undefined;
}

/** The function's fallback: what the stack writes for its own default. */
export function envDefault(spec: SettingSpec): RawValue | undefined {
  const value = defaultOn(spec, 'env');
  if (value === undefined || spec.toEnv === undefined) return value;
  return spec.toEnv(parseSetting(spec.contextSchema ?? spec.schema, spec.context ?? 'default', value) as never);
}

function contextValue<S extends ContextSpec>(spec: S, value: unknown): ContextValue<S> {
  return parseSetting(spec.contextSchema ?? spec.schema, spec.context, value) as ContextValue<S>;
}

function envValue<S extends EnvSpec>(spec: S, value: unknown): EnvValue<S> {
  return parseSetting(spec.envSchema ?? spec.schema, spec.env, value) as EnvValue<S>;
}

/** Reads context values (cdk.json and `-c`); blank and null mean "not given". */
export function contextReader(context: Record<string, unknown>) {
  const read = (spec: ContextSpec): unknown => {
    const raw = context[spec.context];
    return isAbsent(raw) ? defaultOn(spec, 'context') : raw;
  };
  return {
    given: (spec: ContextSpec): boolean => !isAbsent(context[spec.context]),
    /** The value, the default, or undefined. */
    maybe<S extends ContextSpec>(spec: S): ContextValue<S> | undefined {
      const value = read(spec);
      return value === undefined ? undefined : contextValue(spec, value);
    },
    /** The value or the default; a setting with neither fails naming the key. */
    need<S extends ContextSpec>(spec: S): ContextValue<S> {
      const value = read(spec);
      if (value === undefined) {
        throw new ConfigError(
          spec.context,
          `is required: ${spec.required ?? spec.doc} (set it in cdk.json or pass -c ${spec.context}=...)`,
        );
      }
      return contextValue(spec, value);
    },
  };
}

/** Reads the function's environment; blank variables are not set. */
export function envReader(env: Record<string, string | undefined>) {
  const read = (spec: EnvSpec): string | undefined => {
    const raw = env[spec.env];
    return isAbsent(raw) ? undefined : raw.trim();
  };
  return {
    maybe<S extends EnvSpec>(spec: S): EnvValue<S> | undefined {
      const value = read(spec) ?? envDefault(spec);
      return value === undefined ? undefined : envValue(spec, value);
    },
    need<S extends EnvSpec>(spec: S): EnvValue<S> {
      const value = read(spec) ?? envDefault(spec);
      if (value === undefined) throw new ConfigError(spec.env, 'is required but not set');
      return envValue(spec, value);
    },
  };
}

/** A CLI flag's value, or the setting's default when the flag is not given. */
export function readFlag<S extends FlagSpec>(spec: S, value: string | undefined): FlagValue<S> {
  return parseSetting(spec.schema, spec.flag, value ?? defaultOn(spec, 'flag')) as FlagValue<S>;
}
