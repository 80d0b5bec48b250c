/**
 * The part of the SARIF 2.1.0 object model Shipshape writes. Property names are the
 * spec's; optional members are left out of the output rather than written as null.
 */

export type SarifLevel = "error" | "warning" | "note";

export interface SarifText {
  text: string;
}

export interface SarifMultiformatText {
  text: string;
  markdown: string;
}

export interface SarifReportingDescriptor {
  id: string;
  shortDescription: SarifText;
  fullDescription: SarifMultiformatText;
  help: SarifMultiformatText;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[] };
}

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: { startLine: number };
}

export interface SarifLocation {
  physicalLocation: SarifPhysicalLocation;
}

export interface SarifSuppression {
  kind: "inSource" | "external";
  status: "accepted";
  justification: string;
  location?: SarifLocation;
  properties: { source: string; where: string; expires?: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifText;
  locations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: SarifSuppression[];
  properties: Record<string, unknown>;
}

/** Something the tool says about its own run: here, a changed file it did not review. */
export interface SarifNotification {
  level: SarifLevel;
  message: SarifText;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications: SarifNotification[];
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: {
        driver: {
          name: string;
          semanticVersion?: string;
          version?: string;
          informationUri?: string;
          rules: SarifReportingDescriptor[];
        };
      };
      /** Present when some changed files were not reviewed: one notification each. */
      invocations?: SarifInvocation[];
      results: SarifResult[];
      properties: Record<string, unknown>;
    },
  ];
}
