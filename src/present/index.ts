/**
 * Presentation: pure functions from a Report to text. Formats register by name; a
 * format name from the command line is checked with `isReportFormat` before use.
 */
import type { Report } from "../core/model/report.js";
import { renderJson } from "./json.js";
import { renderMarkdown, type MarkdownOptions } from "./markdown/render-markdown.js";
import { renderSarif, type SarifOptions } from "./sarif/render-sarif.js";
import { renderText, type TextOptions } from "./text/render-text.js";

export { renderJson } from "./json.js";
export { DEFAULT_MAX_LENGTH, renderMarkdown, type MarkdownOptions } from "./markdown/render-markdown.js";
export { FINDING_ID_FINGERPRINT, SARIF_SCHEMA_URI, renderSarif, type SarifOptions } from "./sarif/render-sarif.js";
export { renderText, type TextOptions } from "./text/render-text.js";

export type ReportFormat = "text" | "markdown" | "json" | "sarif";

export type RenderOptions = TextOptions & MarkdownOptions & SarifOptions;

type FormatRenderer = (report: Report, options: RenderOptions) => string;

const FORMATS: Readonly<Record<ReportFormat, FormatRenderer>> = {
  text: (report, options) => renderText(report, options),
  markdown: (report, options) => renderMarkdown(report, options),
  json: (report) => renderJson(report),
  sarif: (report, options) => renderSarif(report, options),
};

export const REPORT_FORMATS = Object.keys(FORMATS) as ReportFormat[];

export class UnknownReportFormatError extends Error {
  constructor(readonly format: string) {
    super(`unknown report format "${format}"; expected one of: ${REPORT_FORMATS.join(", ")}`);
    this.name = "UnknownReportFormatError";
  }
}

export function isReportFormat(name: string): name is ReportFormat {
  return Object.hasOwn(FORMATS, name);
}

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  // The type says the format is known, but it often comes straight from argv or YAML.
  if (!isReportFormat(format)) throw new UnknownReportFormatError(format);
  return FORMATS[format](report, options);
}
