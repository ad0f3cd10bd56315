import {
  parseSnapshot,
  serializeSnapshot,
  snapshotDraft,
  snapshotFile,
  toSnapshot,
  WrittenNumbers,
} from '../../lambda/core/snapshot';
import type { PhoneNumber } from '../../lambda/core/types';
import { phone } from './fixtures';

/** A number whose phone number follows from its id, so each test names only the id. */
const num = (over: Partial<PhoneNumber> & { id: string }): PhoneNumber =>
  phone({ phoneNumber: `+1202555${over.id.padStart(4, '0')}`, ...over });

const at = new Date('2026-11-30T09:00:00Z');

describe('toSnapshot', () => {
  it('keeps only the change-relevant fields, sorted by country (unknown last) then number', () => {
    const snap = toSnapshot('Acme', at, true, [
      num({ id: '3', countryCode: 'unknown', phoneNumber: '+999100' }),
      num({ id: '2', countryCode: 'US', phoneNumber: '+12025550002' }),
      num({
        id: '1',
        countryCode: 'IN',
        phoneNumber: '+919000000001',
        type: 'mobile',
        inboundAgentId: null,
        nickname: 'Support',
      }),
      num({ id: '4', countryCode: 'US', phoneNumber: '+12025550001' }),
    ]);
    expect(snap.schemaVersion).toBe(1);
    expect(snap.generatedAt).toBe('2026-11-30T09:00:00.000Z');
    expect(snap.numbers.map((n) => n.id)).toEqual(['1', '4', '2', '3']);
    expect(snap.numbers[0]).toEqual({
      id: '1',
      phoneNumber: '+919000000001',
      countryCode: 'IN',
      type: 'mobile',
      status: 'active',
      inboundAgentId: null,
      nickname: 'Support',
    });
  });
});

describe('snapshotFile', () => {
  // Parts of two numbers: part boundaries, text outside Latin-1 and escapes must all come out as one string would.
  const numbers = [
    num({ id: '3', countryCode: 'unknown', nickname: 'Zürich ☎ desk' }),
    num({ id: '1', nickname: 'lone \ud800 surrogate "quoted" \\ back' }),
    num({ id: '5', countryCode: 'GB', status: null, inboundAgentId: null }),
    num({ id: '2', nickname: '日本語', type: 'toll_free' }),
    num({ id: '4', countryCode: 'DE', nickname: null }),
  ];

  it.each([1, 2, 5, 1000])('is serializeSnapshot(toSnapshot(...)) in UTF-8, byte for byte, in parts of %i', (size) => {
    const file = snapshotFile('Acme "prod" ☎', at, true, numbers, size);
    expect(file.equals(Buffer.from(serializeSnapshot(toSnapshot('Acme "prod" ☎', at, true, numbers))))).toBe(true);
  });

  it('grows past its first guess when the texts are long (3-byte characters)', () => {
    const long = Array.from({ length: 40 }, (_, i) => num({ id: String(i + 1), nickname: '☎'.repeat(200) }));
    const file = snapshotFile('Acme', at, true, long, 7);
    expect(file.length).toBeGreaterThan(256 + long.length * 224);
    expect(file.equals(Buffer.from(serializeSnapshot(toSnapshot('Acme', at, true, long))))).toBe(true);
  });

  // The file is written as it goes while the input looks sorted; one pair out of order anywhere must still give the sorted file.
  it.each([
    ['the first two', [1, 0, 2, 3, 4, 5]],
    ['across a part boundary', [0, 2, 1, 3, 4, 5]],
    ['the last two', [0, 1, 2, 3, 5, 4]],
    ['none', [0, 1, 2, 3, 4, 5]],
  ])('sorts numbers out of order (%s) as toSnapshot does, in parts of 2', (_, order) => {
    const inOrder = ['1', '2', '3', '4', '5', '6'].map((id) => num({ id, nickname: id === '4' ? '☎ desk' : null }));
    // Two numbers equal in country, number and id: a stable sort keeps them in input order.
    inOrder.splice(3, 0, num({ id: '4', nickname: 'twin' }));
    const numbers = [...order, 6].map((i) => inOrder[i] as PhoneNumber);
    const file = snapshotFile('Acme', at, true, numbers, 2);
    expect(file.toString()).toBe(serializeSnapshot(toSnapshot('Acme', at, true, numbers)));
  });

  it('writes an empty or incomplete snapshot the same way', () => {
    expect(snapshotFile('Acme', at, false, []).toString()).toBe(serializeSnapshot(toSnapshot('Acme', at, false, [])));
  });
});

describe('snapshotDraft', () => {
  const numbers = [
    num({ id: '1', nickname: 'Zürich ☎ desk' }),
    num({ id: '2', nickname: '"quoted" \\ back' }),
    num({ id: '3', countryCode: 'unknown', status: null }),
  ];

  it.each([
    ['a date', new Date('2026-11-30T09:00:00Z'), true],
    ['the latest date there is', new Date(8.64e15), false],
    ['the earliest', new Date(-8.64e15), true],
  ])('becomes the whole file once its head is known (%s), in the room kept for it', (_label, date, complete) => {
    const workspace = 'Acme "prod" ☎';
    const draft = snapshotDraft(workspace, numbers, 2);
    expect(draft?.numbers.toString()).toBe(
      JSON.stringify(toSnapshot(workspace, date, complete, numbers).numbers).slice(1, -1),
    );
    const inRoom = draft?.numbers.buffer;
    const file = draft?.file(date, complete);
    expect(file?.toString()).toBe(serializeSnapshot(toSnapshot(workspace, date, complete, numbers)));
    // Not a copy: the head went in front of the numbers already written.
    expect(file?.buffer).toBe(inRoom);
  });

  it('is null for numbers out of snapshot order (the caller sorts them, or reads every number)', () => {
    expect(snapshotDraft('Acme', [numbers[1], numbers[0]])).toBeNull();
  });

  it('makes its file once: a second file would write over the first', () => {
    const draft = snapshotDraft('Acme', numbers);
    draft?.file(at, true);
    expect(() => draft?.file(at, true)).toThrow(/already made/);
    expect(() => draft?.numbers).toThrow(/already made/);
  });

  it('never appears in a JSON output of the run it belongs to', () => {
    expect(JSON.stringify({ name: 'Acme', snapshotDraft: snapshotDraft('Acme', numbers) })).toBe('{"name":"Acme"}');
  });
});

describe('WrittenNumbers', () => {
  it('cuts numbers at the separator only, whatever their strings hold, each parsed as written', () => {
    const tricky = [
      num({ id: '1', nickname: '},{"id":"2' }),
      num({ id: '2', nickname: '}' }),
      num({ id: '3', nickname: null }),
    ];
    const draft = snapshotDraft('Acme', tricky);
    const bytes = draft?.numbers ?? Buffer.alloc(0);
    const read = new WrittenNumbers(bytes, 0, bytes.length);
    const ids: (string | undefined)[] = [];
    for (; !read.done; read.next()) ids.push(read.parse()?.id);
    expect(ids).toEqual(['1', '2', '3']);
    expect(read.seek(3)).toBe(false);
    const again = new WrittenNumbers(bytes, 0, bytes.length);
    expect(again.seek(2) && again.parse()?.id).toBe('3');
  });

  it('says a number is not as written when its bytes are not one number', () => {
    const bytes = Buffer.from('{"id":"1","phoneNumber":"+1"}');
    expect(new WrittenNumbers(bytes, 0, bytes.length).parse()).toBeNull();
  });
});

describe('parseSnapshot', () => {
  it('round-trips a complete snapshot', () => {
    const snap = toSnapshot('Acme', at, true, [num({ id: '1' }), num({ id: '2', status: null })]);
    expect(parseSnapshot(serializeSnapshot(snap))).toEqual({ ok: true, snapshot: snap });
  });

  it.each([
    ['corrupt JSON', '{"schemaVersion": 1, "numb', /not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['no schemaVersion', '{"numbers": []}', /no schemaVersion/],
    ['an older schema', '{"schemaVersion": 0, "numbers": []}', /older schema \(version 0; this version reads 1\)/],
    ['a newer schema', '{"schemaVersion": 2}', /newer schema \(version 2/],
  ])('rejects %s with a reason', (_label, text, reason) => {
    const result = parseSnapshot(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  // A baseline written by an older or a newer release: otherwise well-formed, it must still be
  // refused on its version alone, so "changes" is skipped with this reason instead of misread.
  it.each([
    [0, 'an older schema (version 0; this version reads 1)'],
    [2, 'a newer schema (version 2; this version reads 1)'],
  ])('refuses a full snapshot of schemaVersion %i', (version, words) => {
    const snap = JSON.parse(
      serializeSnapshot(toSnapshot('Acme', at, true, [num({ id: '1' }), num({ id: '2', inboundAgentId: null })])),
    );
    snap.schemaVersion = version;
    expect(parseSnapshot(JSON.stringify(snap))).toEqual({ ok: false, reason: `the previous snapshot uses ${words}` });
  });

  // Snapshots as this code writes them are checked in place; anything else goes through the schema,
  // which drops unknown keys and puts the rest in its order: the result must not depend on the path.
  it('reads a snapshot with reordered or extra keys as the schema outputs it', () => {
    const snap = toSnapshot('Acme', at, true, [num({ id: '1' }), num({ id: '2', nickname: null })]);
    const { id, ...rest } = snap.numbers[0];
    const reordered = {
      ...snap,
      extra: 1,
      numbers: [
        { ...rest, id },
        { ...snap.numbers[1], addedLater: 'x' },
      ],
    };
    const result = parseSnapshot(JSON.stringify(reordered));
    expect(result).toEqual({ ok: true, snapshot: snap });
    expect(result.ok && JSON.stringify(result.snapshot)).toBe(JSON.stringify(snap));
  });

  it('checks every number in place as the schema would', () => {
    const snap = JSON.parse(serializeSnapshot(toSnapshot('Acme', at, true, [num({ id: '1' }), num({ id: '2' })])));
    snap.numbers[1].phoneNumber = '';
    expect(parseSnapshot(JSON.stringify(snap))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the previous snapshot is malformed at numbers\.1\.phoneNumber: /),
    });
    snap.numbers[1].phoneNumber = '+12025550002';
    snap.numbers[1].status = 3;
    expect(parseSnapshot(JSON.stringify(snap))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/numbers\.1\.status/),
    });
  });

  it('rejects a malformed number and says where', () => {
    const snap = JSON.parse(serializeSnapshot(toSnapshot('Acme', at, true, [num({ id: '1' })])));
    snap.numbers[0].type = 'premium';
    const result = parseSnapshot(JSON.stringify(snap));
    expect(!result.ok && result.reason).toMatch(/malformed at numbers\.0\.type/);
  });

  it('rejects an unparseable generatedAt', () => {
    const snap = JSON.parse(serializeSnapshot(toSnapshot('Acme', at, true, [])));
    snap.generatedAt = 'last week';
    expect(parseSnapshot(JSON.stringify(snap)).ok).toBe(false);
  });

  it('never uses an incomplete run as a baseline', () => {
    const result = parseSnapshot(serializeSnapshot(toSnapshot('Acme', at, false, [num({ id: '1' })])));
    expect(result).toEqual({ ok: false, reason: 'the previous run was incomplete, so it is not used as a baseline' });
  });
});
