import { describe, expect, it } from "vitest";
import {
  REPORT_FORMATS,
  UnknownReportFormatError,
  isReportFormat,
  renderJson,
  renderMarkdown,
  renderReport,
  renderText,
  type ReportFormat,
} from "../../src/present/index.js";
import { change, report, target } from "./builders.js";

const sample = report({ targets: [target("apps/api")], changes: [change("apps/api", "api", { diff: "-a\n+b\n" })] });

describe("renderReport", () => {
  it.each([
    ["text", renderText(sample, { verbose: true })],
    ["markdown", renderMarkdown(sample, { maxLength: 500 })],
    ["json", renderJson(sample)],
  ] as const)("dispatches %s to its renderer", (format, expected) => {
    expect(renderReport(sample, format, { verbose: true, maxLength: 500 })).toBe(expected);
  });

  it("lists the registered formats", () => {
    expect(REPORT_FORMATS).toEqual(["text", "markdown", "json", "sarif"]);
  });

  it("refuses unknown names, including inherited object keys", () => {
    expect(isReportFormat("toString")).toBe(false);
    expect(() => renderReport(sample, "yaml" as ReportFormat)).toThrow(UnknownReportFormatError);
    expect(() => renderReport(sample, "constructor" as ReportFormat)).toThrow(UnknownReportFormatError);
  });
});
