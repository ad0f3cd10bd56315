// Deploys a synthesized CDK cloud assembly into an emulated account the way `cdk deploy` does after
// bootstrapping: the bootstrap version parameter set, each zip asset uploaded to the bootstrap
// bucket under its hashed key, then the template through the CloudFormation API.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** moto's account id unless MOTO_ACCOUNT_ID says otherwise. */
export const EMULATED_ACCOUNT = '123456789012';

/** Static credentials for the emulator: it accepts any, and no real credential is ever in reach. */
export function emulatorClientConfig(endpoint: string, region: string) {
  return {
    endpoint,
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    forcePathStyle: true,
  };
}

export interface CloudTemplate {
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON, read by path
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: unknown }>;
  Parameters?: Record<string, { Default?: string; Type: string }>;
  Outputs?: Record<string, unknown>;
}

export interface Assembly {
  dir: string;
  stackName: string;
  template: CloudTemplate;
  /** The region the stack was synthesized for (from its asset destinations). */
  region: string;
  /** Every zip asset (a function's code), unzipped. */
  codeDirs: string[];
  /** The one zip asset of a one-function stack; throws when the stack has several (fan-out). */
  readonly codeDir: string;
}

/** Reads `<stack>.template.json` and `<stack>.assets.json` of a `cdk synth -o DIR`. */
export function readAssembly(dir: string, stackName: string): Assembly {
  const template = JSON.parse(fs.readFileSync(path.join(dir, `${stackName}.template.json`), 'utf8')) as CloudTemplate;
  const assets = JSON.parse(fs.readFileSync(path.join(dir, `${stackName}.assets.json`), 'utf8'));
  const files = Object.values(assets.files as Record<string, AssetEntry>);
  const zips = files.filter((f) => f.source.packaging === 'zip');
  if (zips.length === 0) throw new Error(`no zip asset in ${stackName}.assets.json`);
  const [destination] = Object.values(zips[0].destinations);
  const codeDirs = zips.map((z) => path.join(dir, z.source.path));
  return {
    dir,
    stackName,
    template,
    region: destination.region,
    codeDirs,
    get codeDir() {
      if (codeDirs.length !== 1)
        throw new Error(`expected one zip asset in ${stackName}.assets.json, found ${codeDirs.length}`);
      return codeDirs[0];
    },
  };
}

interface AssetEntry {
  source: { path: string; packaging?: string };
  destinations: Record<string, { bucketName: string; objectKey: string; region: string }>;
}

export interface Deployed {
  stackName: string;
  resources: StackResourceSummary[];
  outputs: Record<string, string>;
  /** How long CreateStack took to reach CREATE_COMPLETE. */
  ms: number;
}

export async function deployAssembly(endpoint: string, assembly: Assembly, timeoutMs = 60_000): Promise<Deployed> {
  const config = emulatorClientConfig(endpoint, assembly.region);
  const bootstrapParam = assembly.template.Parameters?.BootstrapVersion?.Default;
  if (bootstrapParam) {
    // `cdk bootstrap` writes this; the template's Rules refuse versions below 6.
    await new SSMClient(config).send(
      new PutParameterCommand({ Name: bootstrapParam, Value: '30', Type: 'String', Overwrite: true }),
    );
  }
  await uploadAssets(config, assembly);

  const cfn = new CloudFormationClient(config);
  const started = Date.now();
  await cfn.send(
    new CreateStackCommand({
      StackName: assembly.stackName,
      TemplateBody: JSON.stringify(assembly.template),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    }),
  );
  for (;;) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: assembly.stackName }));
    const stack = Stacks?.[0];
    if (stack?.StackStatus === 'CREATE_COMPLETE') {
      const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
      const resources: StackResourceSummary[] = [];
      let NextToken: string | undefined;
      do {
        const page = await cfn.send(new ListStackResourcesCommand({ StackName: assembly.stackName, NextToken }));
        resources.push(...(page.StackResourceSummaries ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return { stackName: assembly.stackName, resources, outputs, ms: Date.now() - started };
    }
    if (stack?.StackStatus && !stack.StackStatus.endsWith('_IN_PROGRESS'))
      throw new Error(`stack ${assembly.stackName} ended ${stack.StackStatus}: ${stack.StackStatusReason ?? ''}`);
    if (Date.now() - started > timeoutMs)
      throw new Error(`stack ${assembly.stackName} still ${stack?.StackStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface EmulatedResource {
  id: string;
  type: string;
  created: boolean;
}

/** Each resource of the template and whether the emulator created it; `text` lists both kinds for the log. */
export function createdAndSkipped(
  template: CloudTemplate,
  deployed: Deployed,
): { rows: EmulatedResource[]; text: string } {
  const created = new Set(deployed.resources.map((r) => r.LogicalResourceId));
  const rows = Object.entries(template.Resources).map(([id, r]) => ({ id, type: r.Type, created: created.has(id) }));
  const line = (rs: EmulatedResource[]) => rs.map((r) => `  ${r.type} ${r.id}`).join('\n');
  const text =
    `moto created (CREATE_COMPLETE in ${deployed.ms} ms):\n${line(rows.filter((r) => r.created))}\n` +
    `moto skipped silently:\n${line(rows.filter((r) => !r.created))}`;
  return { rows, text };
}

async function uploadAssets(config: ReturnType<typeof emulatorClientConfig>, assembly: Assembly): Promise<void> {
  const assets = JSON.parse(fs.readFileSync(path.join(assembly.dir, `${assembly.stackName}.assets.json`), 'utf8'));
  const s3 = new S3Client(config);
  const buckets = new Set<string>();
  for (const asset of Object.values(assets.files as Record<string, AssetEntry>)) {
    if (asset.source.packaging !== 'zip') continue;
    const zip = zipDirectory(path.join(assembly.dir, asset.source.path));
    for (const d of Object.values(asset.destinations)) {
      const bucket = d.bucketName
        .replace(/\$\{AWS::AccountId\}/g, EMULATED_ACCOUNT)
        .replace(/\$\{AWS::Region\}/g, d.region);
      if (!buckets.has(bucket)) {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        buckets.add(bucket);
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: d.objectKey, Body: zip }));
    }
  }
}

/** The asset folder as a zip, as the CDK CLI publishes it (python3 is there anyway: moto needs it). */
function zipDirectory(dir: string): Buffer {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asset-zip-')), 'asset.zip');
  try {
    execFileSync('python3', ['-m', 'zipfile', '-c', out, ...fs.readdirSync(dir)], { cwd: dir });
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}
