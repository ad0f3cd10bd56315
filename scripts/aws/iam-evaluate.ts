// The function's permissions as deployed: the synthesized template's policies with every intrinsic
// resolved against the stack the emulator created, evaluated request by request with
// @cloud-copilot/iam-simulate (identity policies of the execution role + the target's resource policy).
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { CloudTemplate } from './deploy';

export interface StackNames {
  account: string;
  region: string;
  partition: string;
  /** Logical id -> physical id (name, URL or ARN, as CloudFormation's Ref gives it). */
  refs: Record<string, string>;
  /** Logical id -> ARN (Fn::GetAtt X.Arn). */
  arns: Record<string, string>;
}

/** Ref and Arn of each resource the stack created, worked out the way CloudFormation reports them. */
export function stackNames(
  template: CloudTemplate,
  resources: StackResourceSummary[],
  account: string,
  region: string,
): StackNames {
  const refs: Record<string, string> = {};
  const arns: Record<string, string> = {};
  for (const r of resources) {
    const id = r.LogicalResourceId ?? '';
    const physical = r.PhysicalResourceId ?? '';
    if (!template.Resources[id] || !physical) continue;
    refs[id] = physical;
    const arn = arnOf(template.Resources[id].Type, physical, account, region);
    if (arn) arns[id] = arn;
  }
  return { account, region, partition: 'aws', refs, arns };
}

function arnOf(type: string, physical: string, account: string, region: string): string | undefined {
  switch (type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${physical}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${region}:${account}:${physical.slice(physical.lastIndexOf('/') + 1)}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${region}:${account}:log-group:${physical}:*`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${account}:role/${physical}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${account}:function:${physical}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return physical;
    default:
      return undefined;
  }
}

/** Replaces Ref, Fn::GetAtt (Arn), Fn::Join, Fn::Select, Fn::Split and Fn::Sub with the deployed values. */
export function resolve(value: unknown, names: StackNames): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, names));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('Ref' in o) return ref(String(o.Ref), names);
  if ('Fn::GetAtt' in o) {
    const [id, attr] = o['Fn::GetAtt'] as [string, string];
    if (attr !== 'Arn' || !names.arns[id]) throw new Error(`cannot resolve Fn::GetAtt ${id}.${attr}`);
    return names.arns[id];
  }
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolve(p, names))).join(sep);
  }
  if ('Fn::Select' in o) {
    const [index, list] = o['Fn::Select'] as [number | string, unknown];
    return (resolve(list, names) as unknown[])[Number(index)];
  }
  if ('Fn::Split' in o) {
    const [sep, text] = o['Fn::Split'] as [string, unknown];
    return String(resolve(text, names)).split(sep);
  }
  if ('Fn::Sub' in o && typeof o['Fn::Sub'] === 'string')
    return (o['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => ref(name, names));
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, names)]));
}

function ref(name: string, names: StackNames): string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': names.account,
    'AWS::Region': names.region,
    'AWS::Partition': names.partition,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const v = pseudo[name] ?? names.refs[name];
  if (v === undefined) throw new Error(`cannot resolve Ref ${name}`);
  return v;
}

export interface Policy {
  name: string;
  policy: { Version?: string; Statement: unknown[] };
}

export interface Permissions {
  roleArn: string;
  identityPolicies: Policy[];
  /** Resource ARN -> its resource policy (bucket policy, queue policy, topic policy). */
  resourcePolicies: Array<{ arn: string; policy: Policy['policy'] }>;
  account: string;
}

/** The execution role of the template's one Lambda function, found by type, never by logical id. */
export function functionPermissions(template: CloudTemplate, names: StackNames): Permissions {
  const fns = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  if (fns.length !== 1) throw new Error(`expected one AWS::Lambda::Function, found ${fns.length}`);
  return rolePermissions(template, names, roleOf(fns[0][1], 'Role'));
}

/** The logical id of the stack's role a resource names in `property` (`Fn::GetAtt [role, Arn]`). */
export function roleOf(resource: CloudTemplate['Resources'][string], property: string): string {
  const roleRef = resource.Properties?.[property] as { 'Fn::GetAtt': [string, string] } | undefined;
  if (!roleRef?.['Fn::GetAtt']) throw new Error(`the ${resource.Type}'s ${property} names no role of this stack`);
  return roleRef['Fn::GetAtt'][0];
}

/** A role of the stack: its inline policies, the AWS::IAM::Policy resources attached to it, the resource policies. */
export function rolePermissions(template: CloudTemplate, names: StackNames, roleId: string): Permissions {
  const role = template.Resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not an AWS::IAM::Role of this stack`);
  if ((role.Properties?.ManagedPolicyArns ?? []).length)
    throw new Error('the role has managed policies; their documents are not in the template');
  const identityPolicies: Policy[] = [
    ...((role.Properties?.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: unknown }>).map((p) => ({
      name: p.PolicyName,
      policy: resolve(p.PolicyDocument, names) as Policy['policy'],
    })),
    ...Object.entries(template.Resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::IAM::Policy' &&
          ((r.Properties?.Roles ?? []) as Array<{ Ref?: string }>).some((x) => x.Ref === roleId),
      )
      .map(([id, r]) => ({ name: id, policy: resolve(r.Properties?.PolicyDocument, names) as Policy['policy'] })),
  ];
  const resourcePolicies: Permissions['resourcePolicies'] = [];
  for (const r of Object.values(template.Resources)) {
    const targets =
      r.Type === 'AWS::S3::BucketPolicy'
        ? [`arn:aws:s3:::${resolve(r.Properties?.Bucket, names)}`]
        : r.Type === 'AWS::SQS::QueuePolicy'
          ? ((r.Properties?.Queues ?? []) as unknown[]).map((q) => queueArn(String(resolve(q, names)), names))
          : r.Type === 'AWS::SNS::TopicPolicy'
            ? ((r.Properties?.Topics ?? []) as unknown[]).map((t) => String(resolve(t, names)))
            : [];
    for (const arn of targets)
      resourcePolicies.push({ arn, policy: resolve(r.Properties?.PolicyDocument, names) as Policy['policy'] });
  }
  return { roleArn: names.arns[roleId], identityPolicies, resourcePolicies, account: names.account };
}

function queueArn(url: string, names: StackNames): string {
  return `arn:aws:sqs:${names.region}:${names.account}:${url.slice(url.lastIndexOf('/') + 1)}`;
}

export interface Request {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

export interface Decision {
  result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Error';
  detail?: string;
}

/** One request by the role, as IAM would decide it. */
export async function evaluate(perms: Permissions, req: Request): Promise<Decision> {
  // An object's policy is its bucket's: match the resource policy on the ARN up to the first '/'.
  const owner = req.resource.startsWith('arn:aws:s3:::') ? req.resource.split('/')[0] : req.resource;
  const resourcePolicy = perms.resourcePolicies.find((p) => p.arn === owner)?.policy;
  const sessionName = 'audit-function';
  const roleName = perms.roleArn.slice(perms.roleArn.lastIndexOf('/') + 1);
  const out = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${perms.account}:assumed-role/${roleName}/${sessionName}`,
        action: req.action,
        resource: { resource: req.resource, accountId: perms.account },
        contextVariables: req.context,
      },
      identityPolicies: perms.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (out.resultType === 'error') return { result: 'Error', detail: out.errors.message };
  return { result: out.overallResult as Decision['result'] };
}
