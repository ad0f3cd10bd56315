// The CLI's exit codes, documented in --help and the README; scripts branch on them.
// EXIT_INCOMPLETE is no error: main returns it for a run whose listing came back `complete: false`.
import { AuthError, ConfigError, PermissionError } from '../core/errors';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_AUTH = 3;
export const EXIT_INCOMPLETE = 4;

export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError) return EXIT_USAGE;
  if (error instanceof AuthError || error instanceof PermissionError) return EXIT_AUTH;
  return EXIT_FAILURE;
}
