// `npm run build:cli` (also the `prepare` script, so `npm ci` builds it): the `number-audit`
// command as one JavaScript file, bundled by esbuild the way the Lambda is, so starting it needs
// neither tsx nor a TypeScript compile. bin/number-audit.js loads the result.
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..');
export const CLI_ENTRY = join(ROOT, 'lambda', 'cli', 'main.ts');
/** Git-ignored; bin/number-audit.js requires this path. */
export const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'number-audit.js');

export async function buildCli(outfile: string = CLI_BUNDLE): Promise<void> {
  await build({
    entryPoints: [CLI_ENTRY],
    outfile,
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
}

if (require.main === module) {
  buildCli().catch((error: unknown) => {
    // esbuild has already printed the errors themselves.
    console.error(`build-cli: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  });
}
