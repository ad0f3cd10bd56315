import { ConfigError } from '../../lambda/core/errors';
import { isIdempotencyKey } from '../../lambda/core/idempotency';
import { idempotencyKeyOf, parseEvent } from '../../lambda/handler/event';

const ALLOWED = ['example.com', 'example.in'];

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEvent', () => {
  it('takes the schedule event with its context attributes', () => {
    const ev = parseEvent({
      scheduledTime: '2026-11-30T09:00:00Z',
      scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/number-audit-weekly',
    });
    expect(ev.scheduledTime?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(ev.scheduleArn).toBe('arn:aws:scheduler:eu-west-1:123456789012:schedule/default/number-audit-weekly');
    expect(ev.dryRun).toBe(false);
  });

  it.each([[{}], [null], [undefined]])('treats a console %j as a plain run', (raw) => {
    expect(parseEvent(raw)).toEqual({
      dryRun: false,
      scheduledTime: undefined,
      scheduleArn: undefined,
      recipients: undefined,
      countryCode: undefined,
      type: undefined,
    });
  });

  it('takes console overrides and normalises them', () => {
    const ev = parseEvent(
      { dryRun: true, recipients: ['me@example.com'], countryCode: 'in', type: 'toll-free' },
      ALLOWED,
    );
    expect(ev).toMatchObject({ dryRun: true, recipients: ['me@example.com'], countryCode: 'IN', type: 'toll_free' });
  });

  describe('recipients, held to the allowed domains', () => {
    it('takes addresses at any allowed domain, domains lower-cased as the SES policy matches them', () => {
      expect(parseEvent({ recipients: ['Me@Example.COM', 'cfo@example.in'] }, ALLOWED).recipients).toEqual([
        'Me@example.com',
        'cfo@example.in',
      ]);
    });

    it.each([
      [['me@example.org'], /"me@example\.org"/],
      [['ops@example.com', 'me@gmail.com'], /"me@gmail\.com"/],
      // A subdomain is another domain: the SES policy's *@example.com does not match it either.
      [['me@mail.example.com'], /"me@mail\.example\.com"/],
      [['me@example.com.evil.test'], /"me@example\.com\.evil\.test"/],
    ])('rejects %j, naming event.recipients, the address and the allowed domains', (recipients, address) => {
      const error = errorOf(() => parseEvent({ recipients }, ALLOWED));
      expect(error.setting).toBe('event.recipients');
      expect(error.message).toMatch(address);
      expect(error.message).toMatch(/allowed recipient domains: example\.com, example\.in/);
      expect(error.message).toMatch(/allowedRecipientDomains/);
    });

    it("reads the function's own allowlist from its environment when none is passed", () => {
      const saved = { ...process.env };
      try {
        Object.assign(process.env, { REPORT_RECIPIENTS: 'ops@acme.test', ALLOWED_RECIPIENT_DOMAINS: '' });
        expect(parseEvent({ recipients: ['me@acme.test'] }).recipients).toEqual(['me@acme.test']);
        expect(errorOf(() => parseEvent({ recipients: ['me@example.com'] })).message).toMatch(
          /allowed recipient domains: acme\.test/,
        );
        process.env.ALLOWED_RECIPIENT_DOMAINS = 'acme.test,example.com';
        expect(parseEvent({ recipients: ['me@example.com'] }).recipients).toEqual(['me@example.com']);
      } finally {
        process.env = saved;
      }
    });

    it('needs no allowlist for an event without recipients', () => {
      expect(parseEvent({ dryRun: true }, []).recipients).toBeUndefined();
    });
  });

  it.each([
    ['recipients', { recipients: ['me@example.com'] }],
    ['countryCode', { countryCode: 'IN' }],
    ['dryRun', { dryRun: true }],
    ['idempotencyKey', { idempotencyKey: 'k' }],
  ])("refuses %s next to the schedule fields: a console run cannot take a scheduled run's claim", (field, extra) => {
    const schedule = {
      scheduledTime: '2026-12-07T03:30:00Z',
      scheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/number-audit-weekly',
    };
    expect(() => parseEvent({ ...schedule, ...extra }, ['example.com'])).toThrow(
      new RegExp(`^event\\.${field}: cannot be combined with scheduleArn and scheduledTime`),
    );
  });

  it('takes an idempotency key for console runs', () => {
    expect(parseEvent({ idempotencyKey: 'month-end-2026-11' }).idempotencyKey).toBe('month-end-2026-11');
  });

  it.each([
    [{ dryrun: true }, 'event.dryrun', /not a known field/],
    [{ dryRun: 'yes' }, 'event.dryRun', /boolean/],
    [{ recipients: [] }, 'event.recipients', /at least one/],
    [{ recipients: ['x'] }, 'event.recipients', /not an email/],
    [{ countryCode: 'India' }, 'event.countryCode', /two-letter/],
    [{ type: 'premium' }, 'event.type', /local, toll_free, mobile/],
    [{ scheduledTime: 'next monday' }, 'event.scheduledTime', /ISO 8601/],
    [{ scheduleArn: 'arn:aws:lambda:eu-west-1:1:function:x' }, 'event.scheduleArn', /Scheduler/],
    ['run', 'event', /object/],
    [{ idempotencyKey: 'weekly run 1' }, 'event.idempotencyKey', /letters, digits/],
    [{ scheduledTime: '2026-11-30T09:00:00Z' }, 'event.scheduleArn', /together/],
  ])('rejects %j naming %s', (raw, setting, problem) => {
    expect.assertions(3);
    try {
      parseEvent(raw);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).setting).toBe(setting);
      expect((e as Error).message).toMatch(problem);
    }
  });
});

describe('idempotencyKeyOf', () => {
  const arn = 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/number-audit-weekly';

  it('keys a scheduled run on its schedule and time, and a console key apart from any of those', () => {
    const scheduled = idempotencyKeyOf(parseEvent({ scheduleArn: arn, scheduledTime: '2026-12-07T03:30:00Z' }), 'r1');
    expect(scheduled).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKeyOf(parseEvent({ idempotencyKey: scheduled }), 'r2')).toBe(`console-${scheduled}`);
    expect(idempotencyKeyOf(parseEvent({}), 'abc/1')).toBe('invocation-abc1');
  });

  it('takes a console key up to 192 characters, so with its prefix it is still a valid key', () => {
    const longest = 'k'.repeat(192);
    const key = idempotencyKeyOf(parseEvent({ idempotencyKey: longest }), 'r');
    expect(key).toHaveLength(200);
    expect(isIdempotencyKey(key)).toBe(true);
    expect(() => parseEvent({ idempotencyKey: `${longest}k` })).toThrow(/^event\.idempotencyKey: must be 1-192/);
  });
});
