// Cells the sections share, and how any cell reads as plain text.
import { agentName } from '../agents';
import type { AgentCheck, NumberType } from '../types';
import { countryLabel, formatCount, typeLabel } from './format';
import type { Cell } from './model-types';

export function typeCell(n: { type: NumberType; typeInferred?: boolean }): Cell {
  return { kind: 'type', type: n.type, inferred: n.typeInferred === true };
}

export function nicknameCell(nickname: string | null): Cell {
  return nickname === null ? { kind: 'blank', text: '-' } : nickname;
}

/** The agent's name when known, else its id; "none" for no agent. */
export function agentCell(check: AgentCheck | undefined, id: string | null): Cell {
  if (id === null) return { kind: 'alarm', text: 'none' };
  const name = agentName(check, id);
  return name === null ? { kind: 'id', text: id } : name;
}

export function phoneCell(phoneNumber: string): Cell {
  return { kind: 'phone', text: phoneNumber };
}

/** The cell as plain text (the text part, tests). */
export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  switch (cell.kind) {
    case 'country':
      return countryLabel(cell.code);
    case 'type':
      return `${typeLabel(cell.type)}${cell.inferred ? '*' : ''}`;
    case 'count':
      return formatCount(cell.n);
    default:
      return cell.text;
  }
}
