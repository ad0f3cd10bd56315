// The report's public surface: one call renders every part from the same context.
import type { PhoneNumber } from '../types';
import type { ReportContext } from './context';
import { renderCsv } from './csv';
import { renderHtml } from './html';
import { renderSubject } from './subject';
import { renderText } from './text';

export { DEFAULT_UNROUTED_LIMIT, type ReportContext } from './context';
export { CSV_BOM, CSV_COLUMNS, neutraliseFormula, quoteCsvField, renderCsv } from './csv';
export { escapeHtml, renderHtml, renderWorkspaceSection, type WorkspaceSectionInput } from './html';
export { SUBJECT_MAX_LENGTH, renderSubject } from './subject';
export { renderText } from './text';
export { formatCount, formatDateTime, formatReportDate, formatUsd, isValidTimeZone } from './format';
export type { AttachmentMode } from '../types';

export interface RenderedBodies {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedReport extends RenderedBodies {
  csv: string;
}

/** Subject and both bodies; cheap next to the CSV, so re-rendered per attachment mode. */
export function renderBodies(ctx: ReportContext): RenderedBodies {
  return { subject: renderSubject(ctx), html: renderHtml(ctx), text: renderText(ctx) };
}

export function renderReport(ctx: ReportContext, numbers: readonly PhoneNumber[]): RenderedReport {
  return { ...renderBodies(ctx), csv: renderCsv(numbers) };
}
