// The agency's registry (config/workspaces.json) checked with the settings module's value rules.
import { MAX_REGISTRY_ENTRIES, parseRegistry } from '../../lambda/settings';

const PREFIX = 'number-audit/';
const read = (value: unknown) => parseRegistry('config/workspaces.json', value, PREFIX);

it('reads entries as JSON text or a list, with their optional fields', () => {
  const text = JSON.stringify([
    { name: 'Acme Dental', secretId: 'number-audit/acme' },
    {
      name: 'Cobalt',
      secretId: ' number-audit/cobalt ',
      secretField: 'key',
      recipients: ['Ops@Cobalt.example'],
      timeZone: 'America/New_York',
    },
  ]);
  expect(read(text)).toEqual([
    { name: 'Acme Dental', secretId: 'number-audit/acme' },
    {
      name: 'Cobalt',
      secretId: 'number-audit/cobalt',
      secretField: 'key',
      recipients: ['Ops@Cobalt.example'],
      timeZone: 'America/New_York',
    },
  ]);
  expect(read([])).toEqual([]);
});

it.each([
  ['not JSON', '[{name: 1}]', /^config\/workspaces.json: is not valid JSON/],
  ['not a list', { name: 'x' }, /must be a list of at most 10000 workspaces/],
  [
    'too many',
    Array.from({ length: MAX_REGISTRY_ENTRIES + 1 }, (_, i) => ({ name: `c${i}`, secretId: `${PREFIX}${i}` })),
    /at most 10000/,
  ],
  [
    'an unknown field',
    [{ name: 'A', secretId: `${PREFIX}a`, secret: 'x' }],
    /entry 1: unknown field "secret"; the fields are name, secretId, secretField, recipients, timeZone/,
  ],
  [
    'a secret outside the prefix',
    [{ name: 'A', secretId: 'other/a' }],
    /entry 1 \("A"\): secretId: "other\/a" must be a secret name starting with "number-audit\/"/,
  ],
  [
    'a secret ARN',
    [{ name: 'A', secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:number-audit/a-AbCdEf' }],
    /must be a secret name starting with "number-audit\/"/,
  ],
  [
    'a bad recipient',
    [{ name: 'A', secretId: `${PREFIX}a`, recipients: ['not-an-address'] }],
    /entry 1 \("A"\): recipients: "not-an-address" is not an email address/,
  ],
  [
    'recipients as text',
    [{ name: 'A', secretId: `${PREFIX}a`, recipients: 'a@x.example' }],
    /recipients must be a list of email addresses/,
  ],
  ['a bad time zone', [{ name: 'A', secretId: `${PREFIX}a`, timeZone: 'Mars/Olympus' }], /entry 1 \("A"\): timeZone/],
  [
    'a name used twice',
    [
      { name: 'Acme', secretId: `${PREFIX}a` },
      { name: 'ACME', secretId: `${PREFIX}b` },
    ],
    /entry 2 \("ACME"\): the name is already used/,
  ],
  [
    'two names with one history folder',
    [
      { name: 'Acme Ltd', secretId: `${PREFIX}a` },
      { name: 'acme-ltd', secretId: `${PREFIX}b` },
    ],
    /"Acme Ltd" and "acme-ltd" would share the history folder reports\/acme-ltd\//,
  ],
])('refuses %s, naming the entry and what to fix', (_what, value, message) => {
  expect(() => read(value)).toThrow(message);
});
