// `cdk synth` through the CLI into a folder, exactly as bundle.test.ts does it: offline, no
// credentials, the real esbuild bundle of the function.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.join(__dirname, '..', '..');

export async function synthesize(outdir: string, context: Record<string, string>): Promise<void> {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|REGION|DEFAULT_REGION)$/.test(k)) delete env[k];
  await promisify(execFile)(
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
}
