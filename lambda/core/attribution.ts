// Where the money goes: each number's monthly cost attributed to its inbound agent (the use case)
// and that agent's folder (the team). Sums are whole cents, so every part adds up to the
// workspace's totalMonthly exactly: agents + unrouted + unattributed = total, folders = agents.
import { isUnrouted, toCents } from './audit';
import { dict, entryOf } from './dict';
import type { Agent, AgentCheck, Folder, PhoneNumber } from './types';

/** byFolder key for agents that sit in no folder (and for agents that do not exist). */
export const NO_FOLDER = 'none';

export interface AgentCost {
  name: string | null;
  folderId: string | null;
  numbers: number;
  totalMonthly: number;
  unknownCount: number;
  /** The agent does not exist in the workspace (calls to its numbers fail). */
  missing: boolean;
}

export interface FolderCost {
  name: string | null;
  numbers: number;
  totalMonthly: number;
  unknownCount: number;
}

/** Whether folder names could be read; costs are attributed by agent either way. */
export type FolderCheck = { status: 'read'; folderCount: number } | { status: 'skipped'; reason: string };

export interface CostAttribution {
  /** Every inbound agent id seen, by monthly cost descending, then id. */
  byAgent: Record<string, AgentCost>;
  /** By the agents' folder_id (`none`: no folder); null when agents could not be read. */
  byFolder: Record<string, FolderCost> | null;
  /** Active numbers with no inbound agent: money spent on numbers that reject every call. */
  unroutedMonthly: number;
  unroutedUnknownCount: number;
  /** Not-active numbers (pending, expired) with no agent: neither a use case nor unrouted. */
  unattributedMonthly: number;
  /** Undefined when agents were not read (folders were then not asked for). */
  folders?: FolderCheck;
}

/** What the run read about agents and folders, as workspace-run hands it over. */
export interface UseCaseInput {
  agents: AgentCheck | undefined;
  /** The agents as listed; their folder ids. Empty when agents could not be read. */
  agentList: readonly Agent[];
  folders: { status: 'read'; folders: readonly Folder[] } | { status: 'skipped'; reason: string } | undefined;
}

interface Tally {
  numbers: number;
  cents: number;
  unknown: number;
}

function add(t: Tally, n: PhoneNumber): void {
  t.numbers += 1;
  if (n.monthlyCostUsd === null) t.unknown += 1;
  else t.cents += toCents(n.monthlyCostUsd);
}

const empty = (): Tally => ({ numbers: 0, cents: 0, unknown: 0 });

/** Biggest spend first; ties by id, in plain code-unit order. */
function bySpend<T extends { cents: number }>(entries: Array<[string, T]>): Array<[string, T]> {
  return entries.sort(([a, x], [b, y]) => y.cents - x.cents || (a < b ? -1 : a > b ? 1 : 0));
}

export function attributeCosts(numbers: readonly PhoneNumber[], input: UseCaseInput): CostAttribution {
  const agents = new Map<string, Tally>();
  const unrouted = empty();
  const unattributed = empty();
  for (const n of numbers) {
    if (n.inboundAgentId !== null) add(entryOf(agents, n.inboundAgentId, empty), n);
    else add(isUnrouted(n) ? unrouted : unattributed, n);
  }
  const checked = input.agents?.status === 'checked' ? input.agents : undefined;
  const folderOf = new Map<string, string | null>(input.agentList.map((a) => [a.id, a.folderId ?? null]));
  const names = new Map<string, string | null>(
    input.folders?.status === 'read' ? input.folders.folders.map((f) => [f.id, f.name]) : [],
  );
  const byAgent = bySpend([...agents]);
  const folders = new Map<string, Tally>();
  for (const [id, t] of byAgent) {
    const key = folderOf.get(id) ?? NO_FOLDER;
    const f = entryOf(folders, key, empty);
    f.numbers += t.numbers;
    f.cents += t.cents;
    f.unknown += t.unknown;
  }
  return {
    byAgent: dict(
      byAgent.map(([id, t]) => [
        id,
        {
          name: checked && Object.hasOwn(checked.names, id) ? (checked.names[id] ?? null) : null,
          folderId: folderOf.get(id) ?? null,
          numbers: t.numbers,
          totalMonthly: t.cents / 100,
          unknownCount: t.unknown,
          missing: checked !== undefined && !Object.hasOwn(checked.names, id),
        },
      ]),
    ),
    byFolder: checked
      ? dict(
          bySpend([...folders]).map(([id, t]) => [
            id,
            { name: names.get(id) ?? null, numbers: t.numbers, totalMonthly: t.cents / 100, unknownCount: t.unknown },
          ]),
        )
      : null,
    unroutedMonthly: unrouted.cents / 100,
    unroutedUnknownCount: unrouted.unknown,
    unattributedMonthly: unattributed.cents / 100,
    ...(checked && input.folders ? { folders: folderCheck(input.folders) } : {}),
  };
}

function folderCheck(folders: NonNullable<UseCaseInput['folders']>): FolderCheck {
  return folders.status === 'read'
    ? { status: 'read', folderCount: folders.folders.length }
    : { status: 'skipped', reason: folders.reason };
}

/** The folder an agent sits in, by name (its id when the name is unknown); null when none or not known. */
export function agentFolder(a: CostAttribution, agentId: string | null): string | null {
  if (agentId === null || !Object.hasOwn(a.byAgent, agentId)) return null;
  const folderId = a.byAgent[agentId]?.folderId ?? null;
  if (folderId === null) return null;
  return (a.byFolder && Object.hasOwn(a.byFolder, folderId) ? a.byFolder[folderId]?.name : null) ?? folderId;
}
