import { redactSecrets } from '../../../lambda/core/redact';
import {
  backoffDelay,
  isRetryableStatus,
  parsePageEnvelope,
  parseRateLimitReset,
  parseRetryAfter,
  toNumberRecord,
} from '../../../lambda/adapters/dialnexa';
import {
  errorMessageOf,
  MalformedBodyError,
  parseAgents,
  parseFolders,
  parseJsonBody,
} from '../../../lambda/adapters/dialnexa/schema';
import { normalizeNumber } from '../../../lambda/core/normalize';

const NOW = Date.UTC(2025, 0, 6, 6, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds, including fractions and zero', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1500);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP date relative to the injected clock', () => {
    const at = new Date(NOW + 12_000).toUTCString();
    expect(parseRetryAfter(at, NOW)).toBe(12_000);
  });

  it('gives 0 for a date already past, null for nothing or nonsense', () => {
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('-3', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});

describe('parseRateLimitReset', () => {
  it('reads seconds-until-reset relative to now', () => {
    expect(parseRateLimitReset('60', NOW)).toBe(NOW + 60_000);
    expect(parseRateLimitReset('0', NOW)).toBe(NOW);
    expect(parseRateLimitReset('0.25', NOW)).toBe(NOW + 250);
  });

  it('reads a Unix timestamp in seconds as an absolute instant', () => {
    const epochSeconds = Math.ceil((NOW + 30_000) / 1000);
    expect(parseRateLimitReset(String(epochSeconds), NOW)).toBe(epochSeconds * 1000);
  });

  it('rejects what it cannot read', () => {
    expect(parseRateLimitReset(null, NOW)).toBeNull();
    expect(parseRateLimitReset('', NOW)).toBeNull();
    expect(parseRateLimitReset('-1', NOW)).toBeNull();
    expect(parseRateLimitReset('later', NOW)).toBeNull();
  });
});

describe('backoffDelay', () => {
  const opts = (r: number) => ({ baseDelayMs: 250, maxDelayMs: 20_000, random: () => r });

  it('doubles the ceiling per retry and scales it by random() (full jitter)', () => {
    expect(backoffDelay(0, opts(1))).toBe(250);
    expect(backoffDelay(1, opts(1))).toBe(500);
    expect(backoffDelay(3, opts(1))).toBe(2000);
    expect(backoffDelay(3, opts(0.5))).toBe(1000);
    expect(backoffDelay(3, opts(0))).toBe(0);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(20, opts(1))).toBe(20_000);
    expect(backoffDelay(1000, opts(0.999))).toBeLessThanOrEqual(20_000);
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('parsePageEnvelope', () => {
  it('reads the documented {data, meta} envelope', () => {
    const env = parsePageEnvelope({ data: [{ id: 'a' }], meta: { page: 2, limit: 100, total: 150, totalPages: 2 } });
    expect(env).toEqual({ rawRecords: [{ id: 'a' }], page: 2, limit: 100, total: 150, totalPages: 2 });
  });

  it('reads the OpenAPI {items, total, page, limit} envelope, numeric strings included', () => {
    const env = parsePageEnvelope({ items: [], total: '0', page: 1, limit: 100 });
    expect(env).toEqual({ rawRecords: [], page: 1, limit: 100, total: 0, totalPages: null });
  });

  it('accepts an envelope that does not tell the total', () => {
    expect(parsePageEnvelope({ data: [] }).total).toBeNull();
    expect(parsePageEnvelope({ items: [], total: null }).total).toBeNull();
  });

  it('rejects bodies that are not a page', () => {
    expect(() => parsePageEnvelope([])).toThrow(MalformedBodyError);
    expect(() => parsePageEnvelope({ results: [] })).toThrow(/neither a "data" nor an "items"/);
    expect(() => parsePageEnvelope({ data: 'x' })).toThrow(MalformedBodyError);
    expect(() => parsePageEnvelope({ items: [], total: -1 })).toThrow(MalformedBodyError);
  });
});

describe('parseJsonBody / errorMessageOf', () => {
  it('turns bad JSON into a MalformedBodyError with a short preview, made after redaction', () => {
    let error: unknown;
    try {
      parseJsonBody('{"data": [');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedBodyError);
    expect((error as MalformedBodyError).describe((t) => t)).toBe(
      'the body is not valid JSON (10 bytes: "{\\"data\\": [")',
    );
  });

  it('previews a body that hides the key behind zero-width marks and a bidi override without any of it', () => {
    const key = 'dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw';
    const hidden = key.match(/.{1,6}/g)?.join('\u200b') ?? key;
    let error: unknown;
    try {
      parseJsonBody(`\u202e${hidden}`);
    } catch (e) {
      error = e;
    }
    const text = (error as MalformedBodyError).describe((t) => redactSecrets(t, [key]));
    expect(text).not.toContain('\u202e');
    for (let i = 0; i + 8 <= key.length; i += 1) expect(text).not.toContain(key.slice(i, i + 8));
    expect(text).not.toContain(key.slice(0, 6));
  });

  it('previews a body that echoes the key without any 8 characters of it, wherever the cut falls', () => {
    const key = 'dnx_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZyXw';
    for (const pad of [0, 20, 38, 45, 55, 58]) {
      const body = `${'x'.repeat(pad)}Authorization: Bearer ${key} is not valid`;
      let error: unknown;
      try {
        parseJsonBody(body);
      } catch (e) {
        error = e;
      }
      const text = (error as MalformedBodyError).describe((t) => redactSecrets(t, [key]));
      for (let i = 0; i + 8 <= key.length; i += 1) expect(text).not.toContain(key.slice(i, i + 8));
    }
  });

  it('reads the error envelope message as a string or a joined list', () => {
    expect(errorMessageOf('{"statusCode":400,"message":"limit too big","error":"Bad Request"}')).toBe('limit too big');
    expect(errorMessageOf('{"message":["page must be positive","limit must be positive"]}')).toBe(
      'page must be positive; limit must be positive',
    );
    expect(errorMessageOf('<html>502</html>')).toBeNull();
    expect(errorMessageOf('{"error":"x"}')).toBeNull();
  });
});

describe('toNumberRecord', () => {
  it('maps known fields and keeps unknown ones in extra', () => {
    const r = toNumberRecord({
      id: 'phn_1',
      phone_number: '+14155550100',
      agent_id: 'agt_9',
      type: 'toll-free',
      monthly_cost_usd: '1.15',
      capabilities: { voice: true },
      x_region: 'us-east',
    });
    expect(r).toEqual({
      ok: true,
      record: {
        id: 'phn_1',
        phone_number: '+14155550100',
        agent_id: 'agt_9',
        type: 'toll-free',
        monthly_cost_usd: '1.15',
        extra: { capabilities: { voice: true }, x_region: 'us-east' },
      },
    });
  });

  it('keeps nulls as null, stringifies scalars, and moves unexpected shapes to extra', () => {
    const r = toNumberRecord({
      id: 'phn_2',
      phone_number: '+911234',
      inbound_agent_id: null,
      status: 1,
      label: { a: 1 },
    });
    expect(r.ok && r.record).toEqual({
      id: 'phn_2',
      phone_number: '+911234',
      inbound_agent_id: null,
      status: '1',
      extra: { label: { a: 1 } },
    });
  });

  it('rejects records without an id or an E.164 phone number, naming the problem', () => {
    expect(toNumberRecord({ phone_number: '+1' })).toEqual({ ok: false, id: null, problem: 'it has no string "id"' });
    expect(toNumberRecord({ id: 'phn_3', phone_number: '14155550100' })).toEqual({
      ok: false,
      id: 'phn_3',
      problem: 'its "phone_number" "14155550100" does not start with "+"',
    });
    expect(toNumberRecord({ id: 'phn_4' })).toMatchObject({ ok: false, id: 'phn_4' });
    expect(toNumberRecord('phn_5')).toMatchObject({ ok: false, problem: 'the record is not an object' });
  });

  it.each([
    [' +14155550100 ', '+14155550100', 'US'],
    ['\t+14155550100\n', '+14155550100', 'US'],
    ['0044 20 7183 8750', '0044 20 7183 8750', 'GB'],
    ['+1 (415) 555-0100', '+1 (415) 555-0100', 'US'],
    ['+44.20.7183.8750', '+44.20.7183.8750', 'GB'],
  ])('accepts %j, which normalize canonicalises, trimmed', (raw, kept, country) => {
    const r = toNumberRecord({ id: 'phn_6', phone_number: raw });
    expect(r).toEqual({ ok: true, record: { id: 'phn_6', phone_number: kept, extra: {} } });
    if (!r.ok) return;
    expect(normalizeNumber(r.record)).toMatchObject({
      phoneNumber: kept.replace(/[\s\-.()]/g, '').replace(/^00/, '+'),
      countryCode: country,
    });
  });

  it.each([
    ['+', 'is not an E.164 number (a "+", then 2 to 15 digits)'],
    ['+1-800-FLOWERS', 'is not an E.164 number (a "+", then 2 to 15 digits)'],
    ['+0123456789', 'is not an E.164 number (a "+", then 2 to 15 digits)'],
    ['+1234567890123456', 'is not an E.164 number (a "+", then 2 to 15 digits)'],
    ['00', 'is not an E.164 number (a "+", then 2 to 15 digits)'],
    ['   ', 'does not start with "+"'],
    ['0 20 7183 8750', 'does not start with "+"'],
    ['tel:+14155550100', 'does not start with "+"'],
  ])('still rejects %j', (raw, problem) => {
    expect(toNumberRecord({ id: 'phn_7', phone_number: raw })).toEqual({
      ok: false,
      id: 'phn_7',
      problem: `its "phone_number" ${JSON.stringify(raw)} ${problem}`,
    });
  });
});

describe('parseAgents', () => {
  it('names each agent by its current version title', () => {
    expect(
      parseAgents({ agents: [{ id: 'agt_1', current_version: { title: 'Front desk' } }, { id: 'agt_2' }] }),
    ).toEqual([
      { id: 'agt_1', name: 'Front desk', folderId: null },
      { id: 'agt_2', name: null, folderId: null },
    ]);
  });

  it("reads each agent's folder_id, and none from an empty or non-string one", () => {
    const agents = parseAgents({
      agents: [
        { id: 'a', folder_id: 'fld_1' },
        { id: 'b', folder_id: '' },
        { id: 'c', folder_id: 42 },
      ],
    });
    expect(agents.map((a) => a.folderId)).toEqual(['fld_1', null, null]);
  });

  it('rejects an agents list without ids', () => {
    expect(() => parseAgents({ agents: [{ current_version: { title: 'x' } }] })).toThrow(MalformedBodyError);
    expect(() => parseAgents({ data: [] })).toThrow(MalformedBodyError);
  });
});

describe('parseFolders', () => {
  it('reads the folders page and the limit the server used', () => {
    expect(parseFolders({ folders: [{ id: 'fld_1', name: 'Sales', is_deleted: false }], page: 1, limit: 50 })).toEqual({
      folders: [{ id: 'fld_1', name: 'Sales' }],
      limit: 50,
    });
  });

  it('rejects a page without a folders array or a folder without an id', () => {
    expect(() => parseFolders({ data: [] })).toThrow(MalformedBodyError);
    expect(() => parseFolders({ folders: [{ name: 'x' }] })).toThrow(MalformedBodyError);
  });
});
