// Shape checks shared by every key source. Problems are described in words only: a message must
// never quote the value, not even a part of it.

export type KeyCheck = { ok: true; key: string } | { ok: false; problem: string };

/**
 * Outer whitespace is dropped (secrets created from a file often end in a newline); whitespace or
 * control characters inside mean a paste went wrong, and sending that as a Bearer token would only
 * come back as a confusing 401.
 */
export function checkApiKey(raw: string): KeyCheck {
  const key = raw.trim();
  if (key === '') return { ok: false, problem: 'is empty' };
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    return { ok: false, problem: 'contains whitespace or control characters inside the key' };
  }
  return { ok: true, key };
}
