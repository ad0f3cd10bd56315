// The local stand-ins the end-to-end tests use, held to the same contract moto is held to in
// `npm run test:aws` (test/aws/moto-contract.aws-test.ts): a stand-in that disagrees with the
// emulated account is fixed or removed.
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SecretsLocal, startSecretsLocal } from '../../scripts/support/secrets-local';
import { type S3Local, startS3Local } from '../infra/fixtures/s3-local';
import { describeS3Contract } from './contract/s3-contract';
import { describeSecretsContract } from './contract/secrets-contract';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  forcePathStyle: true,
});

let s3: S3Local;
let secrets: SecretsLocal;

beforeAll(async () => {
  [s3, secrets] = await Promise.all([startS3Local('number-audit-contract'), startSecretsLocal()]);
});

afterAll(async () => {
  await Promise.all([s3?.close(), secrets?.close()]);
});

describeS3Contract('the stand-in (test/infra/fixtures/s3-local.ts)', () => ({
  client: new S3Client(clientConfig(s3.endpoint)),
  bucket: s3.bucket,
}));

describeSecretsContract(
  'the stand-in (scripts/support/secrets-local.ts)',
  () => ({
    client: new SecretsManagerClient(clientConfig(secrets.endpoint)),
    create: async (name, value) => secrets.setSecret(name, value),
    denyAccess: async (name) => secrets.setSecret(name, { error: 'AccessDeniedException' }),
  }),
  'can-deny',
);
