// The one cloud assembly every test:aws file reads: synthesized once by global-setup.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS } from '../../lambda/settings';
import { readAssembly, type Assembly } from '../../scripts/aws/deploy';

/** global-setup.ts passes no stackName: the stack has the default one. */
export const STACK_NAME = SETTINGS.stackName.default;
export const RECIPIENTS = ['ops@example.com', 'finance@example.com'];
export const SENDER = 'audit@reports.example.com';
export const ASSEMBLY_ENV = 'NUMBER_AUDIT_AWS_ASSEMBLY';

export function assembly(): Assembly {
  const dir = process.env[ASSEMBLY_ENV];
  if (!dir || !fs.existsSync(path.join(dir, `${STACK_NAME}.template.json`)))
    throw new Error(`${ASSEMBLY_ENV} is not set: run these tests with npm run test:aws (its global setup synthesizes)`);
  return readAssembly(dir, STACK_NAME);
}
