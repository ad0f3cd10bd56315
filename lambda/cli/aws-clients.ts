// The AWS SDK clients the CLI makes, loaded only through main.ts's awsClients() (which says when).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../adapters/aws/client-options';

export { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
export { createSesClient, SesRawMailer } from '../adapters/ses/ses-mailer';

/** A Secrets Manager client with the project's limits, and the endpoint and region the CLI read. */
export function createSecretsClient(config: { endpoint?: string; region?: string }): SecretsManagerClient {
  return new SecretsManagerClient({ ...awsClientOptions(), ...config });
}
