// Every 200 body is scrubbed of the key before it is parsed: whatever a server echoes into a
// string (plain, JSON-escaped, in a property name) comes out redacted, and nothing else changes.
import fc from 'fast-check';
import { scrubJsonText } from '../../../lambda/adapters/dialnexa/scrub';
import { MIN_SECRET_RUN, REDACTED, redactSecrets } from '../../../lambda/core/redact';

const KEY = 'dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw';
const redact = (text: string) => redactSecrets(text, [KEY]);

/** Every string (and property name) in a parsed value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([name, item]) => [name, ...strings(item)]);
  return [];
}

const leaks = (text: string) =>
  Array.from({ length: KEY.length - MIN_SECRET_RUN + 1 }, (_, i) => KEY.slice(i, i + MIN_SECRET_RUN)).some((run) =>
    text.includes(run),
  );

describe('scrubJsonText', () => {
  it('returns a body with no key in it as it is, the very same string', () => {
    const body = JSON.stringify({ data: [{ id: 'phn_1', nickname: 'Support line' }], meta: { total: 1 } });
    expect(scrubJsonText(body, redact)).toBe(body);
  });

  it('redacts a key echoed into a nickname, JSON-escaped or plain, and in a property name', () => {
    const escaped = KEY.replace(/[a-z]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const body = `{"data":[{"id":"phn_1","nickname":"pasted ${escaped} here","note":"${KEY}"}],"${KEY}":1}`;
    const out = JSON.parse(scrubJsonText(body, redact));
    expect(out.data[0]).toEqual({ id: 'phn_1', nickname: `pasted ${REDACTED} here`, note: REDACTED });
    expect(Object.keys(out)).toEqual(['data', REDACTED]);
  });

  it('replaces a number whose digits are a run of the key by null (not given), and the JSON stays valid', () => {
    const digitsKey = '12345678901234567890';
    const body = '{"monthly_cost_usd":12345678901,"page":2,"nickname":"x 12345678901 y"}';
    const out = JSON.parse(scrubJsonText(body, (t) => redactSecrets(t, [digitsKey])));
    expect(out).toEqual({ monthly_cost_usd: null, page: 2, nickname: `x ${REDACTED} y` });
  });

  it('redacts a key split by invisible marks, which cleaning would join again', () => {
    const split = KEY.replace(/(.{6})/g, '$1\u200b');
    const body = JSON.stringify({ data: [{ id: 'phn_1', nickname: `see ${split}`, provider: 'Twilio\u200b' }] });
    const out = JSON.parse(scrubJsonText(body, redact));
    expect(out.data[0].nickname).toBe(`see ${REDACTED}`);
    // Text with an invisible mark and no key stays as it came (normalization cleans it later).
    expect(out.data[0].provider).toBe('Twilio\u200b');
  });

  it('keeps a "__proto__" property a property', () => {
    const body = `{"__proto__":{"nickname":"${KEY}"},"id":"a"}`;
    const out = JSON.parse(scrubJsonText(body, redact));
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ nickname: REDACTED });
  });

  it('hands a body that does not parse back unchanged, for the caller to report', () => {
    const body = `{"data": [${KEY}`;
    expect(scrubJsonText(body, redact)).toBe(body);
  });

  it('for any JSON with the key put into some strings: no string keeps a run of it, and the rest is unchanged', () => {
    const withKey = fc.tuple(fc.string(), fc.constantFrom(KEY, KEY.slice(3, 20), KEY.slice(-9)), fc.string());
    const leaf = fc.oneof(
      fc.string(),
      withKey.map(([a, k, b]) => `${a}${k}${b}`),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const body = JSON.stringify(value);
        const out = JSON.parse(scrubJsonText(body, redact));
        expect(strings(out).some(leaks)).toBe(false);
        if (!strings(value).some(leaks)) expect(out).toEqual(value);
      }),
    );
  });
});
