// `cdk synth` through the CLI into a folder, as an operator runs it: offline, no credentials (none
// are passed on, which proves none are needed), the real esbuild bundle of the function. bundle.test.ts
// and test:aws's global setup both synthesize with it.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.join(__dirname, '..', '..');

/** What the CLI printed: bundle.test.ts holds synth to printing nothing but the bundling line. */
export interface SynthOutput {
  stdout: string;
  stderr: string;
}

export async function synthesize(outdir: string, context: Record<string, string>): Promise<SynthOutput> {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|REGION|DEFAULT_REGION)$/.test(k)) delete env[k];
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'),
      'synth',
      '--quiet',
      '-o',
      outdir,
      ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
  );
  return { stdout, stderr };
}
