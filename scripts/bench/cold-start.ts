// Cold start: the synthesized Lambda asset in three builds (as synthesized: minified with the AWS
// SDK bundled; the same unminified; the SDK left external), its size, the time to load it (module
// init) in fresh Node processes with the function's environment, and what the first invocation adds
// (index.js loads run-handler.js then).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { SETTINGS } from '../../lambda/settings';
import { esbuildOptions, HANDLER_ENTRY, RUN_HANDLER_ENTRY, sdkExternals } from '../../lib/audit-function';
import { readAssembly } from '../aws/deploy';
import { synthesize } from '../aws/synth';
import { median, note, round } from './stats';

const REPO = join(__dirname, '..', '..');
/** Only to satisfy the stack's required context; nothing is deployed or sent. */
const SYNTH_CONTEXT = { recipients: 'ops@example.com', sender: 'audit@example.com' };
export const INIT_RUNS = 10;
export const MAX_INIT_MS = 150;
/** The deployed bundle's init against a minified bundle of only the AWS SDK clients the function uses. */
export const MAX_INIT_RATIO = 1.2;
/** The clients lambda/handler creates (Secrets Manager for the key, SES to send, S3 for the archive). */
const SDK_CLIENTS_ONLY = [
  "export { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
  "export { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';",
  "export { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';",
].join('\n');

export interface BundleFigures {
  id: 'minified' | 'unminified' | 'sdk-external';
  label: string;
  how: string;
  jsBytes: number;
  mapBytes: number;
  /** deflate of index.js alone, and of every file in the asset (what the zip roughly weighs). */
  jsDeflatedBytes: number;
  assetDeflatedBytes: number;
  /** Median module-init (require of the bundle) with NODE_OPTIONS as the stack sets it. */
  initMs: number;
  initRunsMs: number[];
  /** The same without --enable-source-maps. */
  initNoMapsMs: number;
  /** RSS right after the require. */
  rssAfterInitBytes: number;
  /**
   * Median of the first invocation less the second, source maps on: the run's code loaded on first
   * use. Both invocations are an event the handler rejects before any AWS call (nothing leaves the host).
   */
  firstInvocationExtraMs: number;
  nodeOptions: string;
}

export interface ColdStartResult {
  bundles: BundleFigures[];
  nodeVersion: string;
  lambdaRuntime: string;
  notes: string[];
  /** Side by side, interleaved: the deployed bundle and the SDK clients alone, source maps on. */
  sdkOnly: { initMs: number; deployedInitMs: number; ratio: number; jsBytes: number; runsMs: number[] };
  floors: Record<string, boolean>;
}

interface SynthOutput {
  assetDir: string;
  environment: Record<string, unknown>;
  runtime: string;
}

async function synth(outDir: string, extraContext: Record<string, string>): Promise<SynthOutput> {
  await synthesize(outDir, { ...SYNTH_CONTEXT, ...extraContext });
  const { template, codeDir } = readAssembly(outDir, SETTINGS.stackName.default);
  // The audit function is the one whose environment names the report's sender.
  const fn = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && SETTINGS.sender.env in (r.Properties?.Environment?.Variables ?? {}),
  );
  if (!fn) throw new Error('no audit function in the synthesized template');
  if (!existsSync(join(codeDir, 'index.js'))) throw new Error(`no index.js in the code asset ${codeDir}`);
  return {
    assetDir: codeDir,
    environment: fn.Properties?.Environment?.Variables ?? {},
    runtime: String(fn.Properties?.Runtime),
  };
}

/** The function's environment with placeholders for values only known at deploy time (Refs). */
function functionEnv(variables: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'NumberAudit-AuditFunction',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs',
    // Node 20 here, 24 on Lambda: the SDK's "old Node" notice is noise for this measurement.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  for (const [name, value] of Object.entries(variables)) {
    env[name] = typeof value === 'string' ? value : `number-audit-bench-${name.toLowerCase().replace(/_/g, '-')}`;
  }
  return env;
}

const FIRST_INVOCATION_SCRIPT = `
const { handler } = require(process.argv[1]);
const context = { functionName: 'bench', awsRequestId: 'bench', invokedFunctionArn: '', getRemainingTimeInMillis: () => 60000 };
async function once() {
  const t = process.hrtime.bigint();
  const error = await handler({ dryrun: true }, context).then(() => undefined, (e) => e);
  if (error?.name !== 'ConfigError') throw new Error('expected the event to be rejected, got ' + (error?.stack ?? 'a result'));
  return Number(process.hrtime.bigint() - t) / 1e6;
}
(async () => {
  const first = await once();
  const second = await once();
  process.stdout.write('\\n' + JSON.stringify({ first, second }));
})();`;

/** What the first invocation adds: events off and every AWS endpoint on a closed loopback port, so nothing is sent. */
function timeFirstInvocation(bundle: string, env: Record<string, string>): number {
  const quiet = { ...env, [SETTINGS.publishEvents.env]: 'false', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
  const res = spawnSync(process.execPath, ['-e', FIRST_INVOCATION_SCRIPT, bundle], { env: quiet, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`invoking ${bundle} failed (${res.status}): ${res.stderr.slice(0, 2000)}`);
  const out = res.stdout.trim().split('\n').pop() ?? '';
  const { first, second } = JSON.parse(out) as { first: number; second: number };
  return first - second;
}

function deflated(dir: string, only?: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) {
    if (only && f !== only) continue;
    const p = join(dir, f);
    if (statSync(p).isFile()) total += deflateRawSync(readFileSync(p)).length;
  }
  return total;
}

const INIT_SCRIPT =
  'const t=process.hrtime.bigint();require(process.argv[1]);' +
  'const ms=Number(process.hrtime.bigint()-t)/1e6;' +
  'process.stdout.write(JSON.stringify({ms,rss:process.memoryUsage().rss}));';

function timeInit(bundle: string, env: Record<string, string>): { ms: number; rss: number } {
  const res = spawnSync(process.execPath, ['-e', INIT_SCRIPT, bundle], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`loading ${bundle} failed (${res.status}): ${res.stderr.slice(0, 2000)}`);
  const out = res.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(out.slice(out.indexOf('{'))) as { ms: number; rss: number };
}

/** Alternating runs, so a burst of load on the machine hits both bundles alike. */
function sideBySide(deployed: string, sdk: string, env: Record<string, string>, runs: number) {
  timeInit(deployed, env);
  timeInit(sdk, env);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timeInit(deployed, env).ms);
    b.push(timeInit(sdk, env).ms);
  }
  const deployedInitMs = median(a);
  const initMs = median(b);
  return {
    initMs: round(initMs, 1),
    deployedInitMs: round(deployedInitMs, 1),
    ratio: round(deployedInitMs / initMs, 2),
    jsBytes: statSync(sdk).size,
    runsMs: b.map((v) => round(v, 1)),
  };
}

function measure(
  id: BundleFigures['id'],
  label: string,
  how: string,
  assetDir: string,
  env: Record<string, string>,
  runs: number,
): BundleFigures {
  const bundle = join(assetDir, 'index.js');
  const withMaps = { ...env };
  const withoutMaps = { ...env };
  delete withoutMaps.NODE_OPTIONS;
  timeInit(bundle, withMaps); // warm the file cache; not counted
  const samples = Array.from({ length: runs }, () => timeInit(bundle, withMaps));
  const noMaps = Array.from({ length: runs }, () => timeInit(bundle, withoutMaps).ms);
  const firstInvocation = Array.from({ length: runs }, () => timeFirstInvocation(bundle, withMaps));
  const mapFile = join(assetDir, 'index.js.map');
  return {
    id,
    label,
    how,
    jsBytes: statSync(bundle).size,
    mapBytes: existsSync(mapFile) ? statSync(mapFile).size : 0,
    jsDeflatedBytes: deflated(assetDir, 'index.js'),
    assetDeflatedBytes: deflated(assetDir),
    initMs: round(median(samples.map((s) => s.ms)), 1),
    initRunsMs: samples.map((s) => round(s.ms, 1)),
    initNoMapsMs: round(median(noMaps), 1),
    rssAfterInitBytes: Math.round(median(samples.map((s) => s.rss))),
    firstInvocationExtraMs: round(median(firstInvocation), 1),
    nodeOptions: withMaps.NODE_OPTIONS ?? '',
  };
}

/**
 * lib/audit-function.ts has no switch for minify: this rebuilds index.js and run-handler.js with the
 * options it gives NodejsFunction (BUNDLE_OPTIONS; target from the runtime). The minified build is
 * checked against the synthesized asset, which catches the day the two drift apart.
 */
function buildLikeStack(outDir: string, target: string, minify: boolean, sdkOnly = false): void {
  const options = { ...esbuildOptions(sdkExternals(true), minify), target, logLevel: 'error' as const };
  if (sdkOnly) {
    buildSync({
      ...options,
      stdin: { contents: SDK_CLIENTS_ONLY, resolveDir: REPO, loader: 'ts' },
      outfile: join(outDir, 'index.js'),
    });
    return;
  }
  const runHandler = `./${basename(RUN_HANDLER_ENTRY, '.ts')}`;
  buildSync({
    ...options,
    entryPoints: [HANDLER_ENTRY],
    outfile: join(outDir, 'index.js'),
    external: [runHandler, ...(options.external ?? [])],
  });
  buildSync({ ...options, entryPoints: [RUN_HANDLER_ENTRY], outfile: join(outDir, `${runHandler}.js`) });
}

export async function runColdStartBench(workDir: string, runs = INIT_RUNS): Promise<ColdStartResult> {
  note('cold start: cdk synth (minified, AWS SDK bundled: the stack as configured)');
  const a = await synth(join(workDir, 'synth-default'), {});
  note('cold start: cdk synth with -c bundleAwsSdk=false');
  const c = await synth(join(workDir, 'synth-sdk-external'), { bundleAwsSdk: 'false' });
  note('cold start: esbuild, same options as the synthesized asset but without --minify');
  const unminDir = join(workDir, 'unminified');
  const target = a.runtime.replace(/^nodejs(\d+).*$/, 'node$1');
  buildLikeStack(unminDir, target, false);
  // The same build with --minify must match the synthesized asset, or the comparison is off.
  const checkDir = join(workDir, 'minified-check');
  buildLikeStack(checkDir, target, true);
  const notes: string[] = [];
  for (const file of readdirSync(checkDir).filter((f) => f.endsWith('.js'))) {
    const synthBytes = statSync(join(a.assetDir, file)).size;
    const checkBytes = statSync(join(checkDir, file)).size;
    if (Math.abs(checkBytes - synthBytes) / synthBytes > 0.01) {
      notes.push(
        `esbuild with the stack's options gives ${checkBytes} bytes of ${file} minified, the synthesized asset ${synthBytes}: the unminified figure may not compare exactly`,
      );
    }
  }

  const env = functionEnv(a.environment);
  const sdkDir = join(workDir, 'sdk-clients-only');
  buildLikeStack(sdkDir, target, true, true);
  note(`cold start: deployed bundle against the SDK clients alone, ${runs} interleaved pairs (source maps on)`);
  const sdkOnly = sideBySide(join(a.assetDir, 'index.js'), join(sdkDir, 'index.js'), env, runs);
  note(`cold start: module init, ${runs} fresh processes per bundle (with and without source maps)`);
  const bundles = [
    measure('minified', 'minified, SDK bundled', 'cdk synth (stack default)', a.assetDir, env, runs),
    measure('unminified', 'unminified, SDK bundled', 'esbuild, stack options minus --minify', unminDir, env, runs),
    measure(
      'sdk-external',
      'minified, SDK external',
      'cdk synth -c bundleAwsSdk=false; SDK resolved from the repo via NODE_PATH',
      c.assetDir,
      // Node 20 here has no SDK of its own (Lambda's runtime does): resolve it from node_modules.
      { ...functionEnv(c.environment), NODE_PATH: join(REPO, 'node_modules') },
      runs,
    ),
  ];
  notes.push(
    `measured on Node ${process.versions.node}; the function runs on ${a.runtime}. The SDK-external bundle loads the repo's SDK copy through NODE_PATH, standing in for the runtime's.`,
  );
  return {
    bundles,
    nodeVersion: process.versions.node,
    lambdaRuntime: a.runtime,
    notes,
    sdkOnly,
    floors: {
      'bundle module-init <= 150 ms median': bundles[0].initMs <= MAX_INIT_MS,
      [`bundle module-init <= ${MAX_INIT_RATIO}x the SDK clients alone`]: sdkOnly.ratio <= MAX_INIT_RATIO,
    },
  };
}
