// `npm run build:cli` (also the `prepare` script, so `npm ci` builds it): the `number-audit`
// command as one JavaScript file, bundled by esbuild the way the Lambda is, so starting it needs
// neither tsx nor a TypeScript compile. bin/number-audit.js loads the result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Script } from 'node:vm';
import { build } from 'esbuild';
import { API_KEY_VAR } from '../lambda/cli/args';
import type { CliIo } from '../lambda/cli/main';
import { generatePortfolio, startSimulator } from '../simulator';

/** bin/number-audit.js: the paths it loads and its loader, written once there. */
interface Bin {
  BUNDLE: string;
  CODE_CACHE: string;
  loadBundle(cachedData?: Buffer): { cli: { main(argv: string[], io: CliIo): Promise<number> }; script: Script };
}
// The bin is plain CommonJS, loaded as Node loads it.
const bin: Bin = require('../bin/number-audit.js');

const ROOT = join(__dirname, '..');
export const CLI_ENTRY = join(ROOT, 'lambda', 'cli', 'main.ts');
/** Git-ignored; bin/number-audit.js loads this path. */
export const CLI_BUNDLE = bin.BUNDLE;

export async function buildCli(): Promise<void> {
  await build({
    entryPoints: [CLI_ENTRY],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    // The oldest Node package.json's engines accepts.
    target: 'node20',
    format: 'cjs',
    // As in lib/audit-function.ts: ESM builds first, so the AWS SDK tree-shakes.
    mainFields: ['module', 'main'],
    minify: true,
    // Error names (ConfigError, CredentialsProviderError, ...) decide messages and exit codes.
    keepNames: true,
    // --verbose stack traces point into the TypeScript sources (the bin enables source maps).
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  await writeCodeCache();
}

/**
 * Runs the fresh bundle once, as the bin loads it, over a small simulated workspace (loopback
 * only, nothing sent), then saves V8's code for it, the functions that run compiled included.
 */
async function writeCodeCache(): Promise<void> {
  const sim = await startSimulator({ numbers: generatePortfolio({ seed: 1, size: 250 }) });
  const out = mkdtempSync(join(tmpdir(), 'number-audit-warm-up-'));
  try {
    const { cli, script } = bin.loadBundle(undefined);
    const env = { [API_KEY_VAR]: sim.apiKey, TZ: 'UTC' };
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env, isTTY: false };
    const code = await cli.main(['--base-url', sim.url, '--json', '--out', out], io);
    if (code !== 0) throw new Error(`the warm-up run exited ${code}`);
    writeFileSync(bin.CODE_CACHE, script.createCachedData());
  } finally {
    rmSync(out, { recursive: true, force: true });
    await sim.close();
  }
}

if (require.main === module) {
  buildCli().catch((error: unknown) => {
    // esbuild has already printed the errors themselves.
    console.error(`build-cli: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  });
}
