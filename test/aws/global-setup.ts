import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../scripts/aws/synth';
import { ASSEMBLY_ENV, CONTEXT, FAN_OUT_ASSEMBLY_ENV, FAN_OUT_CONTEXT } from './assembly';

export default async function globalSetup(): Promise<void> {
  const synth = async (env: string, context: Record<string, string>) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'number-audit-aws-'));
    await synthesize(outdir, context);
    process.env[env] = outdir;
  };
  // Side by side: each is mostly the CLI's and esbuild's start-up.
  await Promise.all([synth(ASSEMBLY_ENV, CONTEXT), synth(FAN_OUT_ASSEMBLY_ENV, FAN_OUT_CONTEXT)]);
}
