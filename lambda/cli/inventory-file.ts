// --inventory FILE: read and checked before the listing, so a file that cannot be used costs no
// listing and exits 2 with the reason. Bad rows are not the file's fault: the report lists them.
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from '../core/errors';
import { assertInventorySize, type Inventory, InventoryFormatError, parseInventory } from '../core/inventory';
import type { InventorySource } from '../core/ports';

export const INVENTORY_FLAG = '--inventory';

export async function readInventoryFile(file: string): Promise<InventorySource> {
  let content: Buffer;
  try {
    // Refused by its size before it is read into memory.
    assertInventorySize((await stat(file)).size);
    content = await readFile(file);
  } catch (error) {
    throw asConfigError(file, error);
  }
  let inventory: Inventory;
  try {
    inventory = parseInventory(content);
  } catch (error) {
    throw asConfigError(file, error);
  }
  return { read: async () => inventory };
}

function asConfigError(file: string, error: unknown): ConfigError {
  if (error instanceof InventoryFormatError) return new ConfigError(INVENTORY_FLAG, `${file}: ${error.message}`);
  const code = (error as { code?: string }).code ?? 'unreadable';
  return new ConfigError(INVENTORY_FLAG, `cannot read ${file} (${code})`);
}
