// Routed is not the same as reachable: a number can point at an agent that was deleted. This
// check compares each number's inbound agent id with the agents the workspace really has.
import { compareByCountryThenNumber } from './audit';
import { dict } from './dict';
import type { Agent, AgentCheck, PhoneNumber } from './types';

export function checkAgents(numbers: readonly PhoneNumber[], agents: readonly Agent[]): AgentCheck {
  const names = dict<string | null>(agents.map((a) => [a.id, a.name]));
  // Own-property test: an agent id such as "constructor" must not match Object.prototype.
  const exists = (id: string) => Object.hasOwn(names, id);
  return {
    status: 'checked',
    agentCount: Object.keys(names).length,
    names,
    missing: numbers
      .filter((n) => n.inboundAgentId !== null && !exists(n.inboundAgentId))
      .sort(compareByCountryThenNumber),
  };
}

/** The agent's name when the check knows it; null when unnamed, unknown or not checked. */
export function agentName(check: AgentCheck | undefined, agentId: string | null): string | null {
  if (check?.status !== 'checked' || agentId === null) return null;
  return Object.hasOwn(check.names, agentId) ? (check.names[agentId] ?? null) : null;
}
