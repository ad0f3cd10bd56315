import * as fs from 'node:fs';
import { ASSEMBLY_ENV } from './assembly';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[ASSEMBLY_ENV];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
