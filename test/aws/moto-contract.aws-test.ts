// The stand-ins' contract (test/aws/contract/) against moto, the emulated account: the same cases
// `npm test` runs against the stand-ins (test/aws/stand-ins.test.ts).
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { emulatorClientConfig } from '../../scripts/aws/deploy';
import { type Moto, startMoto } from '../../scripts/aws/moto';
import { describeS3Contract } from './contract/s3-contract';
import { describeSecretsContract } from './contract/secrets-contract';

const REGION = 'eu-west-1';
const BUCKET = 'number-audit-contract';
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  await new S3Client(emulatorClientConfig(moto.endpoint, REGION)).send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
}, 60_000);

afterAll(async () => {
  await moto?.close();
});

describeS3Contract('moto', () => ({
  client: new S3Client(emulatorClientConfig(moto.endpoint, REGION)),
  bucket: BUCKET,
}));

describeSecretsContract(
  'moto',
  () => {
    const client = new SecretsManagerClient(emulatorClientConfig(moto.endpoint, REGION));
    return {
      client,
      create: async (Name, SecretString) => void (await client.send(new CreateSecretCommand({ Name, SecretString }))),
    };
  },
  // moto refuses nothing without its IAM enforcement mode, which these tests do not use.
  'cannot-deny',
);
