/**
 * Check runs: created `in_progress` as soon as a pull request event arrives, completed with
 * the result. GitHub takes at most 50 annotations per request, so the rest follow in
 * further updates of the same run.
 */
import type { GitHubApi, RepoRef } from "./api.js";

export const CHECK_NAMES = { main: "Shipshape", approval: "Shipshape / approval" } as const;
export type CheckName = (typeof CHECK_NAMES)[keyof typeof CHECK_NAMES];

export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on output.summary and output.text. */
export const CHECK_TEXT_LIMIT = 65_535;
export const APPROVE_ACTION = "approve";

export interface CheckAnnotationInput {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title?: string;
  message: string;
  raw_details?: string;
}

export interface CheckCompletion {
  conclusion: "success" | "failure" | "neutral" | "action_required" | "cancelled";
  title: string;
  summary: string;
  text?: string;
  annotations?: readonly CheckAnnotationInput[];
  /** Buttons; GitHub allows three. */
  actions?: { label: string; description: string; identifier: string }[];
  detailsUrl?: string;
}

export async function startCheckRun(api: GitHubApi, repo: RepoRef, name: CheckName, headSha: string, detailsUrl?: string): Promise<number> {
  const { data } = await api.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: { title: "Shipshape is reviewing this change", summary: "Rendering both sides, validating and running policies." },
  });
  return (data as { id: number }).id;
}

export async function completeCheckRun(api: GitHubApi, repo: RepoRef, id: number, result: CheckCompletion): Promise<void> {
  const annotations = result.annotations ?? [];
  const output = (batch: readonly CheckAnnotationInput[]) => ({
    title: bound(result.title, 1000),
    summary: bound(result.summary, CHECK_TEXT_LIMIT),
    ...(result.text ? { text: bound(result.text, CHECK_TEXT_LIMIT) } : {}),
    ...(batch.length ? { annotations: batch } : {}),
  });
  // Annotations beyond the first 50 are appended by further updates; the conclusion goes
  // with the last one so the run is never "completed" with annotations still missing.
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await api.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...repo, check_run_id: id, output: output(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)) });
  }
  await api.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    ...repo,
    check_run_id: id,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    ...(result.detailsUrl ? { details_url: result.detailsUrl } : {}),
    ...(result.actions ? { actions: result.actions } : {}),
    output: output(annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  });
}

/** The latest run of a check on a commit, to update the approval check from a comment or review. */
export async function findCheckRun(api: GitHubApi, repo: RepoRef, headSha: string, name: CheckName): Promise<number | undefined> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...repo, ref: headSha, check_name: name, filter: "latest", per_page: 10 });
  const runs = (data as { check_runs: { id: number }[] }).check_runs;
  return runs[0]?.id;
}

export async function createCompletedCheckRun(api: GitHubApi, repo: RepoRef, name: CheckName, headSha: string, result: CheckCompletion): Promise<number> {
  const id = await startCheckRun(api, repo, name, headSha, result.detailsUrl);
  await completeCheckRun(api, repo, id, result);
  return id;
}

function bound(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = "\n\n…(cut to fit GitHub's limit)";
  let end = limit - note.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + note;
}
