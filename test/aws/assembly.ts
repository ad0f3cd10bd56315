// The cloud assemblies every test:aws file reads: synthesized once by global-setup.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS } from '../../lambda/settings';
import { readAssembly, type Assembly } from '../../scripts/aws/deploy';

/** global-setup.ts passes no stackName: the stack has the default one. */
export const STACK_NAME = SETTINGS.stackName.default;
export const RECIPIENTS = ['ops@example.com', 'finance@example.com'];
export const SENDER = 'audit@reports.example.com';
export const ASSEMBLY_ENV = 'NUMBER_AUDIT_AWS_ASSEMBLY';
export const FAN_OUT_ASSEMBLY_ENV = 'NUMBER_AUDIT_AWS_FAN_OUT_ASSEMBLY';

/** The context of the single-function stack. */
export const CONTEXT: Record<string, string> = {
  [SETTINGS.recipients.context]: RECIPIENTS.join(','),
  [SETTINGS.sender.context]: SENDER,
};

/** A few clients in the stack's own registry (each secret a name under the default prefix). */
export const FAN_OUT_WORKSPACES = [
  { name: 'Acme Dental', secretId: `${SETTINGS.workspaceSecretPrefix.default}acme-dental` },
  { name: 'Brightside Realty', secretId: `${SETTINGS.workspaceSecretPrefix.default}brightside` },
  { name: 'Cobalt Insurance', secretId: `${SETTINGS.workspaceSecretPrefix.default}cobalt` },
];

/** The same context in fan-out mode (docs/agencies.md). */
export const FAN_OUT_CONTEXT: Record<string, string> = {
  ...CONTEXT,
  [SETTINGS.fanOut.context]: 'true',
  [SETTINGS.workspaces.context]: JSON.stringify(FAN_OUT_WORKSPACES),
};

export function assembly(): Assembly {
  return read(ASSEMBLY_ENV);
}

export function fanOutAssembly(): Assembly {
  return read(FAN_OUT_ASSEMBLY_ENV);
}

function read(env: string): Assembly {
  const dir = process.env[env];
  if (!dir || !fs.existsSync(path.join(dir, `${STACK_NAME}.template.json`)))
    throw new Error(`${env} is not set: run these tests with npm run test:aws (its global setup synthesizes)`);
  return readAssembly(dir, STACK_NAME);
}
