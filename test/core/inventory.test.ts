// The internal inventory: how the file is read (formats, BOM, CRLF, quotes, duplicates, bad rows,
// a file that cannot be used at all) and how it is reconciled with DialNexa's numbers.
import {
  INVENTORY_MAX_BYTES,
  InventoryFormatError,
  e164Of,
  isUnreconciled,
  parseInventory,
  reconcile,
} from '../../lambda/core/inventory';
import { phone } from './fixtures';

describe('e164Of: numbers as people write them', () => {
  it.each([
    ['+1 415 555 0100', '+14155550100'],
    ['+1-415-555-0100', '+14155550100'],
    ['+1.415.555.0100', '+14155550100'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['001 415 555 0100', '+14155550100'],
    ['0044 20 7946 0000', '+442079460000'],
    ['+44 (0)20 7946 0000', '+442079460000'],
    [' +919876543210 ', '+919876543210'],
  ])('%s -> %s', (written, e164) => {
    expect(e164Of(written)).toEqual({ ok: true, e164 });
  });

  it.each(['415 555 0100', '(415) 555-0100', '+1 415 CALL NOW', 'n/a'])('refuses %s', (written) => {
    expect(e164Of(written).ok).toBe(false);
  });
});

describe('parseInventory', () => {
  it('reads a BOM, CRLF line ends, quoted fields with commas, and any column order and case', () => {
    const csv =
      '\uFEFFOwner,Phone_Number,cost_center,monthly_cost\r\n"Lopez, Maria",+1 415 555 0100,"CC-100, Support",1.15\r\n\r\n';
    expect(parseInventory(csv)).toEqual({
      rows: 1,
      entries: [
        {
          line: 2,
          phoneNumber: '+14155550100',
          costCenter: 'CC-100, Support',
          owner: 'Lopez, Maria',
          monthlyCents: 115,
        },
      ],
      invalidRows: [],
    });
  });

  it('lists bad rows with their line and why, and keeps the first of a duplicated number', () => {
    const csv = [
      'phone_number,cost_center,monthly_cost',
      '+14155550100,A,1.00',
      '415 555 0101,A,',
      ',A,',
      '+14155550102,A,about two',
      '001 (415) 555-0100,B,',
      '+14155550103,A,1,extra',
      '"+1 415\n555 0104",C,',
    ].join('\n');
    const inventory = parseInventory(csv);
    expect(inventory.rows).toBe(7);
    expect(inventory.entries.map((e) => [e.line, e.phoneNumber])).toEqual([
      [2, '+14155550100'],
      [8, '+14155550104'],
    ]);
    expect(inventory.invalidRows).toEqual([
      { line: 3, reason: expect.stringMatching(/"415 555 0101" is not international/) },
      { line: 4, reason: 'phone_number is empty' },
      { line: 5, reason: expect.stringMatching(/monthly_cost "about two" is not an amount/) },
      { line: 6, reason: '+14155550100 is already on line 2' },
      { line: 7, reason: '4 fields, the header has 3' },
    ]);
  });

  it('cleans and bounds cost centers and owners like API text', () => {
    const [entry] = parseInventory(
      `phone_number,owner,cost_center\n+14155550100,ev\u202eil,${'x'.repeat(500)}\n`,
    ).entries;
    expect(entry?.owner).toBe('evil');
    expect(entry?.costCenter).toHaveLength(200);
  });

  it.each([
    ['no phone_number column', 'number,owner\n+14155550100,a\n', /no phone_number column/],
    ['an empty file', '', /no phone_number column/],
    ['not CSV (an unclosed quote)', 'phone_number\n"+14155550100\n', /not valid CSV/],
    ['binary', 'phone_number\n\u0000\u0001\u0002', /not CSV text/],
  ])('refuses a file with %s', (_what, csv, reason) => {
    expect(() => parseInventory(csv)).toThrow(InventoryFormatError);
    expect(() => parseInventory(csv)).toThrow(reason);
  });

  it('refuses a file over 50 MB before parsing it', () => {
    const big = Buffer.alloc(INVENTORY_MAX_BYTES + 1, 0x41);
    expect(() => parseInventory(big)).toThrow(/over the 50 MB limit/);
    expect(() => parseInventory(Buffer.alloc(1024, 0x41))).toThrow(/no phone_number column/);
  });
});

describe('reconcile', () => {
  const numbers = [
    phone({ id: 'a', phoneNumber: '+14155550100', monthlyCostUsd: 1.15 }),
    phone({ id: 'b', phoneNumber: '+14155550101', monthlyCostUsd: 2 }),
    phone({ id: 'c', phoneNumber: '+14155550102', monthlyCostUsd: 1.15 }),
    phone({ id: 'd', phoneNumber: '+14155550103', monthlyCostUsd: null }),
  ];
  const inventory = parseInventory(
    [
      'phone_number,cost_center,owner,monthly_cost',
      '+1 415 555 0100,Support,maria,1.15',
      '001-415-555-0101,Support,,2.50',
      '+1 (415) 555-0103,,dev,',
      '+44 20 7946 0000,Sales,sam,1.00',
      'not a number,Sales,,',
    ].join('\r\n'),
  );

  it('matches on E.164 and lists each side, the price mismatches and the bad rows', () => {
    const r = reconcile(numbers, inventory);
    expect(r).toEqual({
      rows: 5,
      matched: 3,
      notInDialNexa: [{ phoneNumber: '+442079460000', line: 5, costCenter: 'Sales', owner: 'sam' }],
      notInInventory: [{ id: 'c', phoneNumber: '+14155550102', countryCode: 'US', type: 'local' }],
      byCostCenter: { Support: { numbers: 2, totalMonthly: 3.15 } },
      unassignedCount: 2,
      priceMismatches: [{ id: 'b', phoneNumber: '+14155550101', inventoryMonthly: 2.5, dialnexaMonthly: 2 }],
      invalidRows: [{ line: 6, reason: expect.stringMatching(/not international/) }],
    });
    expect(Object.getPrototypeOf(r.byCostCenter)).toBeNull();
    expect(isUnreconciled(r)).toBe(true);
  });

  it('lists numbers that share a phone number by id, whatever order they came in', () => {
    const twins = [
      phone({ id: 'pn_b', phoneNumber: '+12015550100', monthlyCostUsd: 1 }),
      phone({ id: 'pn_a', phoneNumber: '+12015550100', monthlyCostUsd: 1 }),
      phone({ id: 'pn_d', phoneNumber: '+12015550199' }),
      phone({ id: 'pn_c', phoneNumber: '+12015550199' }),
    ];
    const priced = parseInventory('phone_number,monthly_cost\n+12015550100,2.00\n');
    for (const order of [twins, [...twins].reverse()]) {
      const r = reconcile(order, priced);
      expect(r.priceMismatches.map((m) => m.id)).toEqual(['pn_a', 'pn_b']);
      expect(r.notInInventory.map((m) => m.id)).toEqual(['pn_c', 'pn_d']);
    }
  });

  it('a matching inventory is reconciled', () => {
    const r = reconcile(numbers.slice(0, 1), parseInventory('phone_number,monthly_cost\n+14155550100,1.15\n'));
    expect(r.matched).toBe(1);
    expect(isUnreconciled(r)).toBe(false);
  });
});
