// KeySource over a key already in memory (tests, the demo against the simulator).
import type { KeySource } from '../../core/ports';

export function createStaticKeySource(key: string, description = 'a fixed key'): KeySource {
  return { description, getKey: async () => key };
}
