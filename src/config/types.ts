import type { TargetType } from "../core/model/target.js";

/** The config as written by users: everything optional. Mirrors schema/shipshape-config.schema.json. */
export interface RawConfig {
  kubernetesVersion?: string;
  discovery?: boolean;
  ignore?: string[];
  targets?: RawTarget[];
  render?: {
    timeoutSeconds?: number;
    maxOutputBytes?: number;
    concurrency?: number;
    binaries?: { helm?: string; kustomize?: string; kubectl?: string };
  };
  diff?: { ignoreFields?: string[]; defaultIgnoreFields?: boolean };
  schema?: { strict?: boolean; missingSchema?: "info" | "warning" | "error"; crds?: string[]; localSchemas?: string };
}

export interface RawTarget {
  path: string;
  type: TargetType;
  name?: string;
  releaseName?: string;
  namespace?: string;
  valueFiles?: string[];
  composeFiles?: string[];
  composeProfiles?: string[];
  composeEnv?: Record<string, string | number | boolean>;
  kubernetesVersion?: string;
}

/** The config after defaults: every field present. Built only by applyDefaults. */
export interface ShipshapeConfig {
  /** Where it came from, for messages ("defaults" when no file exists). */
  source: string;
  kubernetesVersion?: string;
  discovery: boolean;
  ignore: string[];
  targets: RawTarget[];
  render: {
    timeoutSeconds: number;
    maxOutputBytes: number;
    concurrency: number;
    binaries: { helm?: string; kustomize?: string; kubectl?: string };
  };
  diff: { ignoreFields: string[] };
  schema: { strict: boolean; missingSchema: "info" | "warning" | "error"; crds: string[]; localSchemas?: string };
}
