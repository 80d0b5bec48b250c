export type ChangeAction = "added" | "removed" | "modified" | "renamed";

/** One resource-level difference between the base and head render of a target. */
export interface Change {
  target: string;
  action: ChangeAction;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Set for renames (e.g. a new Kustomize generator hash suffix). */
  previousName?: string;
  /** Helm hook phases when the object is a hook (`helm.sh/hook`), e.g. "pre-install,pre-upgrade". */
  hook?: string;
  /** Human summary lines: images, replicas, resources, env, ports, ... */
  summary: string[];
  /** Unified YAML diff with Secret values redacted. */
  diff: string;
}
