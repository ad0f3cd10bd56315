import fc from 'fast-check';
import {
  API_TEXT_MAX_CHARS,
  boundedApiText,
  boundText,
  cleanApiText,
  withoutControls,
} from '../../lambda/core/api-text';
import { normalizeNumber } from '../../lambda/core/normalize';

/** Every character a cleaned API string must never contain. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\u001b', '\u0085', '\u202a', '\u202e', '\u2066', '\u2069', '\u200f', '\ufeff', '\n'),
    fc.constantFrom('a', 'Z', ' ', '😀', 'é', '='),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
  maxLength: 600,
});

describe('cleanApiText', () => {
  it.each([
    ['NUL', 'a\u0000b', 'a b'],
    ['ESC sequence', '\u001b[31mred', '[31mred'],
    ['C1 NEL', 'x\u0085y', 'x y'],
    ['RLO override', 'abc\u202eexe.pdf', 'abcexe.pdf'],
    ['LRE..PDF embedding', '\u202aleft\u202c', 'left'],
    ['isolates', '\u2066one\u2069 \u2067two\u2068', 'one two'],
    ['zero-width and BOM', '\ufeffzero\u200bwidth', 'zerowidth'],
    ['line separator', 'one\u2028two', 'one two'],
  ])('removes %s', (_name, input, expected) => {
    expect(cleanApiText(input)).toBe(expected);
  });

  it('gives null for nothing but controls or marks, and for non-strings', () => {
    expect(cleanApiText('\u202e\u0000 \u200b')).toBeNull();
    expect(cleanApiText(42)).toBeNull();
    expect(cleanApiText(undefined)).toBeNull();
  });

  it('never leaves a control, bidi or zero-width character (property)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = cleanApiText(s);
        return out === null || (!FORBIDDEN.test(out) && out === out.trim());
      }),
    );
  });
});

describe('withoutControls', () => {
  // Clean text skips the replaces: the result must be what the two replaces alone would give.
  it('is the two replaces, whether or not the text had anything to clean (property)', () => {
    const replaces = (s: string) =>
      s
        .replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
        .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
    fc.assert(fc.property(fc.oneof(hostile, fc.string()), (s) => withoutControls(s) === replaces(s)));
    expect(withoutControls('plain text')).toBe('plain text');
  });
});

describe('boundText', () => {
  it('keeps a string at the limit and cuts one past it with an ellipsis', () => {
    const at = 'x'.repeat(API_TEXT_MAX_CHARS);
    expect(boundText(at)).toBe(at);
    const cut = boundText(`${at}y`);
    expect(cut).toHaveLength(API_TEXT_MAX_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '😀', '𝄞'), maxLength: 400 }),
        fc.integer({ min: 2, max: 300 }),
        (s, max) => {
          const out = boundText(s, max);
          if (out.length > max) return false;
          // A lone surrogate would not survive a UTF-8 round trip.
          return Buffer.from(out, 'utf8').toString('utf8') === out;
        },
      ),
    );
  });
});

describe('boundedApiText', () => {
  it('returns the full cleaned value only when it had to cut', () => {
    expect(boundedApiText('short')).toEqual({ text: 'short' });
    const long = `\u202e${'n'.repeat(60_000)}`;
    const bounded = boundedApiText(long);
    expect(bounded.text).toHaveLength(API_TEXT_MAX_CHARS);
    expect(bounded.full).toBe('n'.repeat(60_000));
  });
});

describe('normalizeNumber: API text is clean and bounded', () => {
  const base = { id: 'phn_1', phone_number: '+12015550123' };

  it('bounds a 60 KB nickname, provider and status and keeps their full values aside', () => {
    const huge = 'N'.repeat(60_000);
    const n = normalizeNumber({ ...base, nickname: huge, provider: `p${huge}`, status: `S${huge}` });
    expect(n.nickname).toHaveLength(API_TEXT_MAX_CHARS);
    expect(n.provider).toHaveLength(API_TEXT_MAX_CHARS);
    expect(n.status).toHaveLength(API_TEXT_MAX_CHARS);
    expect(n.status?.startsWith('sn')).toBe(true);
    expect(n.untruncated).toEqual({ nickname: huge, provider: `p${huge}`, status: `s${huge.toLowerCase()}` });
  });

  it('has no untruncated field when nothing was cut', () => {
    expect(normalizeNumber({ ...base, nickname: 'Front desk' })).not.toHaveProperty('untruncated');
  });

  it('strips bidi overrides and controls from every text field', () => {
    const n = normalizeNumber({
      ...base,
      nickname: 'Sales\u202e\u0000',
      provider: '\u001btwilio',
      status: 'act\u2066ive',
      inbound_agent_id: 'agt_\u200b1',
      created_at: '\u00002026-01-01',
    });
    expect(n).toMatchObject({
      nickname: 'Sales',
      provider: 'twilio',
      status: 'active',
      inboundAgentId: 'agt_1',
      createdAt: '2026-01-01',
    });
  });

  it('falls back to the label when the nickname is only invisible marks', () => {
    expect(normalizeNumber({ ...base, nickname: '\u202e\u200b', label: 'Support' }).nickname).toBe('Support');
  });

  it('leaves no forbidden character in any text field (property)', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (nickname, provider, status, agent) => {
        const n = normalizeNumber({ ...base, nickname, provider, status, inbound_agent_id: agent });
        return [n.nickname, n.provider, n.status, n.inboundAgentId].every(
          (v) => v === null || (!FORBIDDEN.test(v) && v.length <= API_TEXT_MAX_CHARS),
        );
      }),
    );
  });
});
