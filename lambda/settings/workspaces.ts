// Several workspaces, each with its own secret: the stack's list (cdk.json or `-c workspaces=`) and
// the function's WORKSPACES variable the stack writes from it.
import * as z from 'zod';
import { workspaceSlug } from '../adapters/archive/layout';
import { ConfigError } from '../core/errors';
import { MAX_CONTEXT_WORKSPACES } from './registry';
import { parseJsonList, readEntry } from './entries';
import { parseKmsKeyArn, parseSecret, parseSecretField, SECRET_FIELD_RE, SECRET_ID_RE, type SecretRef } from './values';

/** At most this many workspaces in one stack and one run. */
export const MAX_WORKSPACES = 20;

/** A stack's workspace entry as written; a missing secretField or secretKmsKeyArn is the stack's own. */
export interface WorkspaceEntry {
  name: string;
  secret: SecretRef;
  secretField?: string;
  secretKmsKeyArn?: string;
}

const FIELDS = ['name', 'secretId', 'secretField', 'secretKmsKeyArn'];
const SHAPE =
  '[{"name": "Acme prod", "secretId": "acme/dialnexa"}, ...] (optional per entry: secretField, secretKmsKeyArn)';

/** `[{"name": "Acme prod", "secretId": "acme/dialnexa"}, ...]`, as JSON text or a cdk.json array. */
export function parseWorkspaceList(setting: string, value: unknown): WorkspaceEntry[] {
  const list = parseJsonList(setting, value, SHAPE);
  // Past MAX_WORKSPACES the stack fans out (lib/config.ts); one run still audits at most MAX_WORKSPACES.
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_CONTEXT_WORKSPACES) {
    throw new ConfigError(
      setting,
      `must be a list of 1-${MAX_WORKSPACES} workspaces (up to ${MAX_CONTEXT_WORKSPACES} with fanOut): ${SHAPE}`,
    );
  }
  const seenNames = new Map<string, string>();
  const seenSlugs = new Map<string, string>();
  return list.map((entry: unknown, i) => {
    const ref = parseEntry(setting, entry, i);
    const where = `entry ${i + 1} ("${ref.name}")`;
    const other = seenNames.get(ref.name.toLowerCase());
    if (other !== undefined) {
      throw new ConfigError(
        setting,
        `${where}: the name is already used by "${other}"; names must differ (ignoring case)`,
      );
    }
    seenNames.set(ref.name.toLowerCase(), ref.name);
    // History lives under reports/<slug>/: two workspaces sharing a slug would share one history.
    const slug = workspaceSlug(ref.name);
    const sameFolder = seenSlugs.get(slug);
    if (sameFolder !== undefined) {
      throw new ConfigError(
        setting,
        `${where}: "${ref.name}" and "${sameFolder}" would share the history folder reports/${slug}/; rename one`,
      );
    }
    seenSlugs.set(slug, ref.name);
    return ref;
  });
}

function parseEntry(setting: string, entry: unknown, i: number): WorkspaceEntry {
  const { name, raw, field } = readEntry(setting, entry, i, FIELDS, SHAPE);
  return {
    name,
    secret: field('secretId', parseSecret),
    ...(raw.secretField === undefined ? {} : { secretField: field('secretField', parseSecretField) }),
    ...(raw.secretKmsKeyArn === undefined ? {} : { secretKmsKeyArn: field('secretKmsKeyArn', parseKmsKeyArn) }),
  };
}

/** One entry of the function's WORKSPACES: KMS keys are IAM's business, not the function's. */
export interface WorkspaceVariable {
  name: string;
  secretId: string;
  secretField?: string;
}

const variableSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[^\r\n]+$/, 'must be one line'),
      secretId: z.string().regex(SECRET_ID_RE, 'must be a Secrets Manager secret name or ARN'),
      secretField: z.string().regex(SECRET_FIELD_RE, 'must be a JSON field name').optional(),
    }),
  )
  .min(1)
  .max(MAX_WORKSPACES);

/** WORKSPACES as the stack writes it: `[{"name": "...", "secretId": "...", "secretField"?: "..."}]`. */
export function parseWorkspaceVariable(setting: string, text: string): WorkspaceVariable[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(setting, 'is not valid JSON; expected [{"name": "...", "secretId": "..."}]');
  }
  const parsed = variableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(setting, `${issue.path.length ? `entry ${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  const names = new Map<string, string>();
  for (const w of parsed.data) {
    // Two names with one history folder would overwrite each other's baseline.
    const slug = workspaceSlug(w.name);
    const clash = names.get(slug);
    if (clash !== undefined) {
      throw new ConfigError(
        setting,
        clash.toLowerCase() === w.name.toLowerCase()
          ? `lists the workspace "${w.name}" twice`
          : `"${clash}" and "${w.name}" would share the history folder "${slug}"; rename one`,
      );
    }
    names.set(slug, w.name);
  }
  return parsed.data;
}
