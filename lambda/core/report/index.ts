// The report's public surface: one call renders every part from the same context.
import type { ReportContext } from './context';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderSubject } from './subject';
import { renderText } from './text';

export { AGENT_ROWS_LIMIT, CHANGE_ROWS_LIMIT, DEFAULT_UNROUTED_LIMIT, type ReportContext } from './context';
export {
  CSV_BOM,
  CSV_COLUMNS,
  hasCutText,
  neutraliseFormula,
  quoteCsvField,
  renderCsv,
  type CsvColumn,
  type CsvText,
} from './csv';
export { escapeHtml, renderHtml, renderWorkspaceSection, type SectionOptions } from './html';
export { SUBJECT_MAX_LENGTH, renderSubject } from './subject';
export { renderText } from './text';
export { buildReport, type ReportModel, type Section, type WorkspaceModel } from './model';
export { reportTotals, workspaceState, type ReportTotals, type WorkspaceState } from './summary';
export { formatCount, formatDateTime, formatReportDate, formatUsd } from './format';
export type { AttachmentMode } from '../types';

export interface RenderedBodies {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedReport extends RenderedBodies {
  csv: Buffer;
}

/** Subject and both bodies; cheap next to the CSV, so re-rendered per attachment mode. */
export function renderBodies(ctx: ReportContext): RenderedBodies {
  return { subject: renderSubject(ctx), html: renderHtml(ctx), text: renderText(ctx) };
}

/** Every part; the CSV holds the numbers of every audited workspace of the context. */
export function renderReport(ctx: ReportContext): RenderedReport {
  return { ...renderBodies(ctx), csv: renderCsv(ctx.workspaces) };
}
