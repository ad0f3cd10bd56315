import { checkAgents } from '../../lambda/core/agents';
import { diffSnapshots } from '../../lambda/core/changes';
import { toSnapshot } from '../../lambda/core/snapshot';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../../lambda/core/types';
import { actionReasons, type WorkspaceOutcome } from '../../lambda/core/workspace';
import { failedWorkspace, phone, workspace } from './fixtures';

const routed = phone({ id: 'r', inboundAgentId: 'agt_1' });
const unrouted = phone({ id: 'u', phoneNumber: '+12015550101', inboundAgentId: null });
const strayAgent = phone({ id: 'm', phoneNumber: '+12015550102', inboundAgentId: 'agt_gone' });
const agents = (numbers = [routed]) => checkAgents(numbers, [{ id: 'agt_1', name: 'Main' }]);
const removedSince = (numbers = [routed]) => ({
  status: 'compared' as const,
  changes: diffSnapshots(
    toSnapshot('Acme', new Date('2026-11-23T09:00:00Z'), true, [
      ...numbers,
      phone({ id: 'gone', phoneNumber: '+12015550199' }),
    ]),
    numbers,
  ),
});

const calm = workspace([routed], { agents: agents(), changes: { status: 'first-run' } });
const everything: WorkspaceOutcome[] = [
  workspace([routed, unrouted], { name: 'A' }),
  workspace([routed, strayAgent], { name: 'B', agents: agents([routed, strayAgent]) }),
  workspace([routed], { name: 'C', changes: removedSince() }),
  failedWorkspace('D'),
];

describe('actionReasons', () => {
  it('is empty when nothing needs action', () => {
    expect(actionReasons([calm], DEFAULT_ACTION_TRIGGERS)).toEqual([]);
  });

  it('lists every trigger that fired, in the fixed order, whatever the workspace order', () => {
    expect(actionReasons(everything, DEFAULT_ACTION_TRIGGERS)).toEqual([
      'unrouted',
      'missingAgents',
      'removedNumbers',
      'failedWorkspaces',
    ]);
    expect(actionReasons([...everything].reverse(), DEFAULT_ACTION_TRIGGERS)).toEqual([
      'unrouted',
      'missingAgents',
      'removedNumbers',
      'failedWorkspaces',
    ]);
  });

  it.each([
    ['unrouted', [workspace([routed, unrouted])]],
    ['missingAgents', [workspace([strayAgent], { agents: agents([strayAgent]) })]],
    ['removedNumbers', [workspace([routed], { changes: removedSince() })]],
    ['failedWorkspaces', [calm, failedWorkspace('Beta')]],
  ] as const)('fires %s alone, and not when that trigger is switched off', (key, workspaces) => {
    expect(actionReasons(workspaces, DEFAULT_ACTION_TRIGGERS)).toEqual([key]);
    const off: ActionTriggers = { ...DEFAULT_ACTION_TRIGGERS, [key]: false };
    expect(actionReasons(workspaces, off)).toEqual([]);
  });

  it('does not count skipped agent checks, a first run, skipped changes or an incomplete listing as findings', () => {
    const quiet = [
      workspace([strayAgent], { agents: { status: 'skipped', reason: '403' } }),
      workspace([routed], {
        changes: { status: 'skipped', reason: 'corrupt' },
        complete: false,
        incompleteReason: 'short by 1',
      }),
      workspace([routed], { changes: { status: 'first-run' } }),
    ];
    expect(actionReasons(quiet, DEFAULT_ACTION_TRIGGERS)).toEqual([]);
  });

  it('does not fire removedNumbers for numbers only added or rerouted', () => {
    const previous = toSnapshot('Acme', new Date('2026-11-23T09:00:00Z'), true, [routed]);
    const changes = diffSnapshots(previous, [{ ...routed, inboundAgentId: 'agt_2' }, unrouted]);
    expect(
      actionReasons([workspace([routed], { changes: { status: 'compared', changes } })], DEFAULT_ACTION_TRIGGERS),
    ).toEqual([]);
  });
});
