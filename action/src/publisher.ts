/**
 * The port through which the Action publishes what the App publishes — the sticky comment and
 * the check runs. It runs only with a token on a pull request event. The entry point treats a
 * 403 or 404 (the read-only token of a fork's pull request) as "cannot publish here": a
 * warning, never a failed step; the summary, annotations and report still carry the result.
 */
import type { ShipshapeConfig } from "../../src/config/types.js";
import type { Report } from "../../src/core/model/report.js";
import type { FailOn } from "../../src/core/outcome.js";
import type { SecretSet } from "../../src/core/secrets/secret-set.js";
import type { EventPayload } from "./refs.js";

export interface ActionPublishContext {
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  /** GITHUB_SERVER_URL, for links. */
  serverUrl: string;
  token: string;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  baseSha: string;
  /** The pull request's author (for approvals: an author may not approve their own change). */
  author?: string;
  report: Report;
  /** Shipshape or a tool broke: the check run concludes "errored", not "failed". */
  toolErrors: readonly string[];
  config: ShipshapeConfig;
  failOn: FailOn;
  /** Inputs `comment` and `check-run`. */
  comment: boolean;
  checkRun: boolean;
  eventName: string;
  payload: EventPayload;
  /** The run's secret set: every request to GitHub is scrubbed with it. */
  secrets?: SecretSet;
}

export type ActionPublisher = (context: ActionPublishContext) => Promise<void>;


/** A 403 or 404 from the API: the token may not write here (a fork's pull request). */
export function isPermissionDenied(err: unknown): boolean {
  if (typeof err !== "object" || err === null || !("status" in err)) return false;
  const status = (err as { status: unknown }).status;
  return status === 403 || status === 404;
}
