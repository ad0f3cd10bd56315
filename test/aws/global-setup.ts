import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../scripts/aws/synth';
import { ASSEMBLY_ENV, RECIPIENTS, SENDER } from './assembly';

export default async function globalSetup(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'number-audit-aws-'));
  await synthesize(outdir, { recipients: RECIPIENTS.join(','), sender: SENDER });
  process.env[ASSEMBLY_ENV] = outdir;
}
