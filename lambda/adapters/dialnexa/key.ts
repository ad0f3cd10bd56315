// The API key for one operation: read once, re-read fresh at most once after a 401 (the key
// may have been rotated since it was cached). Also scrubs the key out of any text.
import type { KeySource } from '../../core/ports';
import { redactSecrets } from '../../core/redact';

export class KeyHolder {
  private first: Promise<string> | null = null;
  private fresh: Promise<string> | null = null;
  private readonly known = new Set<string>();

  constructor(readonly source: KeySource) {}

  async get(): Promise<string> {
    const key = await this.current();
    this.known.add(key);
    return key;
  }

  private current(): Promise<string> {
    if (this.fresh !== null) return this.fresh;
    if (this.first === null) this.first = this.source.getKey();
    return this.first;
  }

  /**
   * After a 401 with `usedKey`: a different key worth one more try, or null. Null when the fresh
   * read (made once) gave the same key: asking again with a key just refused is pointless.
   */
  async afterUnauthorized(usedKey: string): Promise<string | null> {
    if (this.fresh === null) this.fresh = this.source.getKey({ fresh: true });
    const key = await this.get();
    return key === usedKey ? null : key;
  }

  /**
   * Defence in depth: no text built from server answers may carry a key we sent, whole or in
   * part (any run of MIN_SECRET_RUN characters of it).
   */
  redact(text: string): string {
    return redactSecrets(text, this.known);
  }
}
