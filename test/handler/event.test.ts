import { ConfigError } from '../../lambda/core/errors';
import { parseEvent } from '../../lambda/handler/event';

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
    const ev = parseEvent({ dryRun: true, recipients: ['me@example.com'], countryCode: 'in', type: 'toll-free' });
    expect(ev).toMatchObject({ dryRun: true, recipients: ['me@example.com'], countryCode: 'IN', type: 'toll_free' });
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
