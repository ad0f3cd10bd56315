// The function's AWS calls as IAM requests: what the recording proxy saw, turned into action,
// resource and request context; and the calls it must never be able to make, each with its reason.
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { CloudTemplate } from '../../scripts/aws/deploy';
import type { Request } from '../../scripts/aws/iam-evaluate';
import type { RecordedCall } from '../../scripts/aws/recording-proxy';

export interface Where {
  bucket: string;
  region: string;
  account: string;
}

// The recorded calls went over plain HTTP to the loopback proxy; the deployed function has no
// endpoint override (the deployed test checks that), so the SDK's own endpoints are https.
const TLS = { 'aws:SecureTransport': 'true' };

export function callsToRequests(calls: RecordedCall[], where: Where): Array<{ call: string; request: Request }> {
  return calls.flatMap((c) => {
    if (c.service === 's3') return s3Requests(c, where);
    if (c.service === 'secretsmanager') {
      const { SecretId } = JSON.parse(c.body.toString('utf8')) as { SecretId: string };
      // IAM sees the secret's full ARN (with its random suffix), whatever name the caller used.
      const arn = c.status === 200 ? (JSON.parse(c.responseBody) as { ARN: string }).ARN : SecretId;
      return [
        {
          call: `${c.operation} ${SecretId}`,
          request: { action: `secretsmanager:${c.operation}`, resource: arn, context: TLS },
        },
      ];
    }
    if (c.service === 'ses') return sesRequests(c, where);
    if (c.service === 'events') {
      const { Entries } = JSON.parse(c.body.toString('utf8')) as {
        Entries: Array<{ Source: string; EventBusName?: string }>;
      };
      // IAM decides each entry on its own, with that entry's source as events:source.
      return Entries.map((e) => ({
        call: `${c.operation} ${e.Source} on ${e.EventBusName ?? 'the default bus'} (HTTP ${c.status})`,
        request: {
          action: `events:${c.operation}`,
          resource: e.EventBusName ?? `arn:aws:events:${where.region}:${where.account}:event-bus/default`,
          context: { ...TLS, 'events:source': [e.Source] },
        },
      }));
    }
    return [
      {
        call: `${c.service} ${c.operation}`,
        request: { action: `${c.service}:${c.operation}`, resource: '*', context: TLS },
      },
    ];
  });
}

/**
 * SendRawEmail is authorized against the sender's identity and, when the request names one, the
 * configuration set: each is a resource of the same request, with the same conditions.
 */
function sesRequests(c: RecordedCall, where: Where): Array<{ call: string; request: Request }> {
  const form = new URLSearchParams(c.body.toString('utf8'));
  const source = form.get('Source') ?? '';
  const recipients = [...form.entries()].filter(([k]) => k.startsWith('Destinations.member.')).map(([, v]) => v);
  const configurationSet = form.get('ConfigurationSetName');
  const context = { ...TLS, 'ses:FromAddress': source, 'ses:Recipients': recipients };
  const call = `${c.operation} from ${source} to ${recipients.join(',')} (HTTP ${c.status})`;
  const arn = (resource: string) => `arn:aws:ses:${where.region}:${where.account}:${resource}`;
  return [
    // The sender's address is the verified identity here; with only the domain verified SES
    // would authorize against identity/<domain>, which the role lists too.
    { call, request: { action: `ses:${c.operation}`, resource: arn(`identity/${source}`), context } },
    ...(configurationSet
      ? [
          {
            call: `${call} with configuration set ${configurationSet}`,
            request: { action: `ses:${c.operation}`, resource: arn(`configuration-set/${configurationSet}`), context },
          },
        ]
      : []),
  ];
}

function s3Requests(c: RecordedCall, where: Where): Array<{ call: string; request: Request }> {
  const url = new URL(c.url, 'http://x');
  const [, bucket, ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (bucket !== where.bucket) throw new Error(`the function used a bucket that is not the stack's: ${bucket}`);
  const context: Record<string, string> = { ...TLS };
  for (const h of ['if-match', 'if-none-match']) {
    const v = c.headers[h];
    if (typeof v === 'string') context[`s3:${h}`] = v;
  }
  const conditional = [c.headers['if-none-match'] && 'If-None-Match', c.headers['if-match'] && 'If-Match']
    .filter(Boolean)
    .join(' ');
  const call = `${c.method} ${key}${conditional ? ` (${conditional})` : ''} -> ${c.status}`;
  const requests = [
    { call, request: { action: `s3:${c.operation}`, resource: key ? `${bucketArn}/${key}` : bucketArn, context } },
  ];
  // S3 answers a missing key 404 only to a caller that may list the bucket (else 403).
  if (c.operation === 'GetObject' && c.status === 404)
    requests.push({
      call: `${call} (needs ListBucket)`,
      request: { action: 's3:ListBucket', resource: bucketArn, context: TLS },
    });
  return requests;
}

export interface Never {
  what: string;
  why: string;
  /** ImplicitlyDenied: nothing grants it; ExplicitlyDenied: a resource policy's Deny refuses it. */
  denied: 'ImplicitlyDenied' | 'ExplicitlyDenied';
  request: Request;
}

/** What the execution role must be refused, whatever the code does. */
export function neverCalls(
  template: CloudTemplate,
  resources: StackResourceSummary[],
  where: Where & { sender: string; secretName: string },
): Never[] {
  const b = `arn:aws:s3:::${where.bucket}`;
  const ses = (identity: string) => `arn:aws:ses:${where.region}:${where.account}:identity/${identity}`;
  const secret = (name: string) => `arn:aws:secretsmanager:${where.region}:${where.account}:secret:${name}`;
  const domain = where.sender.slice(where.sender.indexOf('@') + 1);
  // A recipient the function is configured with: its domain is allowed.
  const [fn] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const [recipient] = String(fn.Properties?.Environment.Variables.REPORT_RECIPIENTS).split(',');
  const recipientDomain = recipient.slice(recipient.indexOf('@') + 1);
  const [schedule] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
  const dlqId = schedule.Properties?.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
  const dlqUrl = resources.find((r) => r.LogicalResourceId === dlqId)?.PhysicalResourceId ?? '';
  const queueArn = (url: string) =>
    `arn:aws:sqs:${where.region}:${where.account}:${url.slice(url.lastIndexOf('/') + 1)}`;
  const dlqArn = queueArn(dlqUrl);
  const [invokeConfig] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
  const failedRunsId = invokeConfig.Properties?.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
  const failedRunsArn = queueArn(resources.find((r) => r.LogicalResourceId === failedRunsId)?.PhysicalResourceId ?? '');
  const bus = (name: string) => `arn:aws:events:${where.region}:${where.account}:event-bus/${name}`;
  const never = (what: string, why: string, action: string, resource: string, context: Request['context'] = {}) => ({
    what,
    why,
    denied: context['aws:SecureTransport'] === 'false' ? ('ExplicitlyDenied' as const) : ('ImplicitlyDenied' as const),
    request: { action, resource, context: { ...TLS, ...context } },
  });
  // biome-ignore format: one line per call, with its reason
  return [
    never('send as another address at the sender\'s domain', 'the domain identity would cover it; ses:FromAddress pins the sender', 'ses:SendRawEmail', ses(domain), { 'ses:FromAddress': `ceo@${domain}` }),
    never('send as another address through the sender\'s identity', 'ses:FromAddress pins the sender', 'ses:SendRawEmail', ses(where.sender), { 'ses:FromAddress': `ceo@${domain}` }),
    never('send from an unrelated identity', 'only the sender\'s identities are granted', 'ses:SendRawEmail', ses('noreply@elsewhere.example'), { 'ses:FromAddress': 'noreply@elsewhere.example' }),
    never('send a templated email', 'only SendRawEmail is granted', 'ses:SendEmail', ses(where.sender), { 'ses:FromAddress': where.sender }),
    never('send the report to a recipient outside the allowed domains', 'ses:Recipients must all match *@<allowed domain>: whoever may invoke the function cannot mail the inventory elsewhere', 'ses:SendRawEmail', ses(where.sender), { 'ses:FromAddress': where.sender, 'ses:Recipients': [recipient, 'inbox@elsewhere.example'] }),
    never('send to a subdomain of an allowed domain', '*@<domain> matches that domain only', 'ses:SendRawEmail', ses(where.sender), { 'ses:FromAddress': where.sender, 'ses:Recipients': [`inbox@mail.${recipientDomain}`] }),
    never('send with no recipient list in the request', 'ForAllValues holds for an empty set; the Null condition demands ses:Recipients', 'ses:SendRawEmail', ses(where.sender), { 'ses:FromAddress': where.sender }),
    never('read another secret', 'only the configured secret is granted', 'secretsmanager:GetSecretValue', secret('other/secret-AbCdEf')),
    never('read a secret whose name extends the configured one', '-?????? matches the 6-character suffix only', 'secretsmanager:GetSecretValue', secret(`${where.secretName}-prod-AbCdEf`)),
    never('change the secret', 'read-only access', 'secretsmanager:PutSecretValue', secret(`${where.secretName}-AbCdEf`)),
    never('delete a run', 'no s3:DeleteObject: expiry is the lifecycle rules\' job', 's3:DeleteObject', `${b}/reports/dialnexa-workspace/2026/11/30/run/audit.json`),
    never('delete the baseline pointer', 'no s3:DeleteObject', 's3:DeleteObject', `${b}/latest/dialnexa-workspace.json`),
    never('read a key outside the three prefixes', 'objects are granted under reports/, latest/, idempotency/ only', 's3:GetObject', `${b}/secrets/x.json`),
    never('write a key outside the three prefixes', 'same', 's3:PutObject', `${b}/index.html`),
    never('overwrite a workspace\'s inventory', 'inventory/ is read-only for the function: operators upload it', 's3:PutObject', `${b}/inventory/dialnexa-workspace.csv`),
    never('write a key that only starts like a prefix', 'the grant is reports/*, not reports*', 's3:PutObject', `${b}/reports-old/x`),
    never('read another bucket', 'only the stack\'s bucket is granted', 's3:GetObject', 'arn:aws:s3:::someone-elses-bucket/reports/x'),
    never('change the bucket policy', 'no bucket-level writes', 's3:PutBucketPolicy', b),
    never('list every bucket', 'no account-wide S3 access', 's3:ListAllMyBuckets', '*'),
    never('send to the schedule DLQ', 'only Scheduler\'s role writes there', 'sqs:SendMessage', dlqArn),
    never('read an object over plain HTTP', 'the bucket policy denies aws:SecureTransport=false', 's3:GetObject', `${b}/latest/dialnexa-workspace.json`, { 'aws:SecureTransport': 'false' }),
    never('write an object over plain HTTP', 'the bucket policy denies aws:SecureTransport=false', 's3:PutObject', `${b}/reports/x/audit.json`, { 'aws:SecureTransport': 'false' }),
    never('send to the failed-runs queue over plain HTTP', 'its queue policy denies aws:SecureTransport=false', 'sqs:SendMessage', failedRunsArn, { 'aws:SecureTransport': 'false' }),
    never('put an event posing as another application', 'events:source must be number-audit: rules trust the source', 'events:PutEvents', bus('default'), { 'events:source': ['aws.s3'] }),
    never('put an event naming no source', 'the Null condition demands events:source', 'events:PutEvents', bus('default')),
    never('put an event on another bus', 'only the default bus is granted', 'events:PutEvents', bus('partner-bus'), { 'events:source': ['number-audit'] }),
    never('send with another configuration set', 'only the stack\'s configuration set is granted', 'ses:SendRawEmail', `arn:aws:ses:${where.region}:${where.account}:configuration-set/someone-elses`, { 'ses:FromAddress': where.sender, 'ses:Recipients': [recipient] }),
    never('list the bucket over plain HTTP', 'the bucket policy denies aws:SecureTransport=false', 's3:ListBucket', b, { 'aws:SecureTransport': 'false' }),
  ];
}
