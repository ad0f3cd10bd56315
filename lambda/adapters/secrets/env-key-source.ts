// KeySource for local runs: the key comes from an environment variable.
import { ConfigError } from '../../core/errors';
import type { KeySource } from '../../core/ports';
import { checkApiKey } from './api-key-value';

/**
 * Reads the variable on each call, so a missing key fails the run that needs it, not the import. The
 * CLI names the variable (its API_KEY_VAR).
 */
export function createEnvKeySource(varName: string, env: NodeJS.ProcessEnv = process.env): KeySource {
  return {
    description: `environment variable ${varName}`,
    async getKey() {
      const raw = env[varName];
      if (raw === undefined || raw.trim() === '') {
        throw new ConfigError(varName, 'is not set or is empty; set it to the DialNexa API key');
      }
      const checked = checkApiKey(raw);
      if (!checked.ok) throw new ConfigError(varName, checked.problem);
      return checked.key;
    },
  };
}
