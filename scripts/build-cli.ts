// `npm run build:cli` (also the `prepare` script, so `npm ci` builds it): the `number-audit`
// command as one JavaScript file, bundled by esbuild the way the Lambda is, so starting it needs
// neither tsx nor a TypeScript compile. bin/number-audit.js loads the result.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from 'node:vm';
import { build } from 'esbuild';

/** bin/number-audit.js: the paths it loads and its loader, written once there. */
interface Bin {
  BUNDLE: string;
  CODE_CACHE: string;
  compileBundle(cache: Buffer | undefined): Compiled;
  codeCacheFor(compiled: Compiled): Buffer;
}
interface Compiled {
  source: string;
  script: Script;
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
    // import() becomes require(): the bin compiles the bundle itself (for its code cache), and a script
    // compiled that way has no loader for import() (the AWS SDK imports node:http that way).
    supported: { 'dynamic-import': false },
    minify: true,
    // Error names (ConfigError, CredentialsProviderError, ...) decide messages and exit codes.
    keepNames: true,
    // --verbose stack traces point into the TypeScript sources (the bin enables source maps).
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  writeCodeCache();
}

/** Compiles the fresh bundle as the bin does and saves V8's code for it (see bin/number-audit.js). */
function writeCodeCache(): void {
  writeFileSync(bin.CODE_CACHE, bin.codeCacheFor(bin.compileBundle(undefined)));
}

if (require.main === module) {
  buildCli().catch((error: unknown) => {
    // esbuild has already printed the errors themselves.
    console.error(`build-cli: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  });
}
