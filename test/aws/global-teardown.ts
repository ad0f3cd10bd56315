import * as fs from 'node:fs';
import { ASSEMBLY_ENV, FAN_OUT_ASSEMBLY_ENV } from './assembly';

export default async function globalTeardown(): Promise<void> {
  for (const env of [ASSEMBLY_ENV, FAN_OUT_ASSEMBLY_ENV]) {
    const dir = process.env[env];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
