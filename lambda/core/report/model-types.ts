// The report as data: every sentence, heading and figure of the email, composed once. The HTML and
// text parts only lay it out, so they cannot drift apart.
import type { NumberType } from '../types';

/** What a part of the report means to the reader; each renderer picks its own colour or marker. */
export type Tone = 'neutral' | 'good' | 'bad' | 'warn';

/** One table cell. A plain string is text; the kinds say what the value is, so each part can style it. */
export type Cell =
  | string
  | { kind: 'phone'; text: string }
  /** An agent id shown in place of a name. */
  | { kind: 'id'; text: string }
  /** A country code; the HTML adds the country's name under it. */
  | { kind: 'country'; code: string }
  | { kind: 'type'; type: NumberType; inferred: boolean }
  /** Stands for no value: "-", "(none)", "(no name)". */
  | { kind: 'blank'; text: string }
  /** A count that fades when zero. */
  | { kind: 'count'; n: number }
  | { kind: 'strong'; text: string; tone?: Tone }
  /** A missing value that is itself the finding, e.g. "none" for no agent. */
  | { kind: 'alarm'; text: string }
  /** Short text that may wrap in a narrow column. */
  | { kind: 'loose'; text: string }
  | { kind: 'badge'; text: string; tone: Tone };

export interface Column {
  label: string;
  align: 'left' | 'right';
  /** HTML width hint, e.g. "35%". */
  width?: string;
  /** Cells may wrap (API text, a right-aligned note); a right-aligned column is otherwise kept on one line. */
  wrap?: boolean;
  /** The HTML shows this column's cell in small print under the previous column's cell. */
  under?: boolean;
}

/** A sentence after a table or a section, e.g. where the rows left out are. */
export interface Note {
  text: string;
  /** The reader must not miss it. */
  strong?: boolean;
}

export interface Table {
  /** Shown above the table, e.g. "Added (3)". */
  title?: string;
  tone?: Tone;
  columns: Column[];
  rows: Cell[][];
  totals?: Cell[];
  /** Cell padding of the HTML table: tighter for more columns on a 375 px phone. */
  density?: 'snug' | 'tight' | 'compact';
  /** Rows left out. */
  truncated?: Note;
  /**
   * A matrix too wide for a phone: the HTML shows its row totals (as `bars` when given) and its
   * column totals, `across` naming the columns, `value` the figures and `after` how many columns
   * follow the matrix (Total, Share; default 1).
   */
  narrow?: { across: string; value: string; after?: number };
  /** The HTML also draws the rows as bars (table cells, like the trend charts). */
  bars?: TableBars;
}

/** One bar per row of a table: its label is the row's first cell. */
export interface TableBars {
  values: number[];
  /** Printed beside each bar, e.g. "$1,132.25 (35%)". */
  figures: string[];
  /** A stacked bar: each row's value split by series (e.g. number types), in `series` order. */
  parts?: { series: string[]; values: number[][] };
}

/** `label` (bold) then `text`, e.g. "By country:" "US +2". */
export interface Line {
  label?: string;
  text: string;
}

export interface Paragraph {
  lines: Line[];
  /** Secondary text (muted in the HTML). */
  quiet?: boolean;
  /** Colours the label. */
  tone?: Tone;
}

/** A boxed finding or warning. */
export interface Callout {
  tone: Tone;
  label: string;
  text?: string;
  /** Phone numbers, then e.g. " and 3 more". */
  phones?: { numbers: string[]; rest: string };
}

export type SectionId =
  | 'workspaces'
  | 'changes'
  | 'unrouted'
  | 'missing-agents'
  | 'idle'
  | 'agents'
  | 'country-type'
  | 'cost'
  | 'use-case'
  | 'reconciliation'
  | 'status'
  | 'trend'
  | 'too-large';

/** One bar of a chart: a run's date and its figure. */
export interface Bar {
  label: string;
  /** Null: not known for that run (drawn as "-"). */
  value: number | null;
  /** The figure as printed, e.g. "1,204" or "$1,204.50". */
  text: string;
}

/** A bar chart: HTML table cells as bars (no images, SVG or scripts), the figures beside them. */
export interface Chart {
  title: string;
  bars: Bar[];
  tone?: Tone;
}

/** One section, read top to bottom: title, lead, call-outs, paragraphs, tables, charts, notes. */
export interface Section {
  id: SectionId;
  title: string;
  /** Sentences under the title. */
  lead: string[];
  callouts: Callout[];
  paragraphs: Paragraph[];
  tables: Table[];
  /** Absent on most sections. */
  charts?: Chart[];
  notes: Note[];
}

/** A headline figure; `tile` when the HTML shows it as a tile. */
export interface Figure {
  label: string;
  value: string;
  tile?: { label: string; note: string; tone: Tone };
  /** The HTML shows it as a line under the tiles. */
  strip?: boolean;
}

export interface AuditedWorkspaceModel {
  ok: true;
  name: string;
  /** "Workspace 2 of 3" among several. */
  eyebrow?: string;
  /** "All numbers in the workspace", "Filtered: country US". */
  scope: string;
  incomplete?: Line;
  /** Lines under the scope: a count nothing confirmed, filters applied by us. */
  notices: Line[];
  figures: Figure[];
  sections: Section[];
}

export interface FailedWorkspaceModel {
  ok: false;
  name: string;
  eyebrow?: string;
  title: string;
  message: string;
  codeLabel: string;
  code: string;
  note: string;
}

export type WorkspaceModel = AuditedWorkspaceModel | FailedWorkspaceModel;

/** A warning across the top of the email. */
export interface Banner {
  title: string;
  /** `label` is the workspace's name when the email has several. */
  reasons: Line[];
  advice: string;
}

export interface ReportModel {
  title: string;
  date: string;
  subject: string;
  /** The inbox preview line. */
  preview: string;
  incomplete?: Banner;
  /** Numbers missing since the baseline and the run held back from becoming it. */
  verify?: Banner;
  /** The combined table of a several-workspace email. */
  summary?: Section;
  workspaces: WorkspaceModel[];
  footer: { lines: Array<Required<Line>>; note: string };
}

/** Cell and section builders share these. */
export function section(id: SectionId, title: string, parts: Partial<Omit<Section, 'id' | 'title'>> = {}): Section {
  return { id, title, lead: [], callouts: [], paragraphs: [], tables: [], notes: [], ...parts };
}
