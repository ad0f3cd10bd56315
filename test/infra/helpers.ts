// Shared by the infra tests: build the app the way bin/app.ts does, from cdk.json's context plus
// overrides, and read IAM policies back in a form a reader can check at a glance.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readConfig } from '../../lib/config';
import { NumberAuditStack } from '../../lib/number-audit-stack';

export const ROOT = path.join(__dirname, '..', '..');

/** The context block of the project's cdk.json (feature flags and defaults). */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

/** What an operator must pass at minimum. */
export const REQUIRED_CONTEXT = {
  recipients: 'ops@example.com, finance@example.com',
  sender: 'audit@reports.example.com',
};

/**
 * An app with cdk.json's context and the given overrides. Bundling is skipped (template tests do not
 * need the code; bundle.test.ts runs the real bundle), which keeps construction under a second.
 */
export function buildApp(overrides: Record<string, unknown> = {}): App {
  return new App({
    context: { ...cdkJsonContext(), ...REQUIRED_CONTEXT, ...overrides, 'aws:cdk:bundling-stacks': [] },
  });
}

export function addStack(app: App, id?: string): NumberAuditStack {
  const config = readConfig(app);
  return new NumberAuditStack(app, id ?? config.stackName, { config });
}

/** The logical id of a construct's CloudFormation resource, following default children down to it. */
export function logicalId(construct: IConstruct): string {
  let resource: IConstruct | undefined = construct;
  while (resource && !CfnElement.isCfnElement(resource)) resource = resource.node.defaultChild;
  if (!resource) throw new Error(`${construct.node.path} has no CloudFormation resource as its default child`);
  // resolve(), not getLogicalId(): it honours overrideLogicalId.
  return Stack.of(construct).resolve((resource as CfnElement).logicalId) as string;
}

/**
 * CloudFormation intrinsics as one readable string: Fn::Join of literals and Refs becomes
 * "arn:${AWS::Partition}:...", Fn::GetAtt becomes "${Logical.Attr}". Other values pass through.
 */
export function flat(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flat);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Ref' in o) return `\${${o.Ref}}`;
    if ('Fn::GetAtt' in o) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(flat(p))).join(sep);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, flat(v)]));
  }
  return value;
}

/** The statements of the inline policies attached to one role, flattened. */
export function roleStatements(template: Template, roleLogicalId: string): unknown[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles as unknown[]).some((r) => (r as { Ref?: string }).Ref === roleLogicalId),
  );
  return policies.flatMap((p) => flat(p.Properties.PolicyDocument.Statement) as unknown[]);
}
