// Where the report may go: the domains every recipient must be at. The stack turns them into the
// SES statement's ses:Recipients patterns (`*@<domain>`), the function holds a console event's
// recipients to them, and both default them to the configured recipients' domains.
import { ConfigError } from '../core/errors';
import { MAX_RECIPIENTS } from '../core/validation';

// Letters, digits and inner hyphens per label, at least two labels: no wildcard, no "@", no subdomain
// pattern. A pattern would widen the SES policy; a plain domain is what `*@<domain>` means.
const DOMAIN_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Domains are case-insensitive but IAM's StringLike is not: every domain the policy names, and every
 * address the function sends to, is written in lower case.
 */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** The address with its domain in lower case (the local part is the mailbox's business). */
export function withLowerCaseDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${domainOf(address)}`;
}

/** The default allowlist: each recipient's domain, once, in the recipients' order. */
export function recipientDomains(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map(domainOf))];
}

/** `example.com, example.in` (or a cdk.json array): 1-50 plain domains, lower-cased, once each. */
export function parseDomainList(setting: string, value: string | readonly string[]): string[] {
  const items = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (items.length < 1) throw new ConfigError(setting, 'needs at least one domain, e.g. example.com');
  if (items.length > MAX_RECIPIENTS)
    throw new ConfigError(setting, `has ${items.length} domains; at most ${MAX_RECIPIENTS} are allowed`);
  for (const item of items) {
    if (!DOMAIN_RE.test(item.toLowerCase()))
      throw new ConfigError(setting, `"${item}" is not a domain (write example.com: no "@", no wildcard)`);
  }
  return [...new Set(items.map((d) => d.toLowerCase()))];
}

/** The first address that is at none of `domains`. */
export function outsideDomains(addresses: readonly string[], domains: readonly string[]): string | undefined {
  return addresses.find((a) => !domains.includes(domainOf(a)));
}

/** The configured recipients must stay allowed: the scheduled report goes to them. */
export function checkConfiguredRecipients(setting: string, recipients: readonly string[], domains: readonly string[]) {
  const outside = outsideDomains(recipients, domains);
  if (outside !== undefined) {
    throw new ConfigError(
      setting,
      `does not include ${domainOf(outside)}, the domain of recipient ${outside}; add it, or change recipients`,
    );
  }
}
