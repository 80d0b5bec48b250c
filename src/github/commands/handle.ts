/**
 * Running the commands of one comment (a PR comment or a reply to a Shipshape review
 * comment), shared by the App and the Action. Every comment with a command is acknowledged
 * with a reaction; a reply is written where it tells the person something (help, refusals,
 * explanations, waivers). Comments by bots — Shipshape included — are never read.
 */
import type { ShipshapeConfig } from "../../config/types.js";
import type { Logger } from "../../core/ports.js";
import { httpStatus, type GitHubApi, type PullRequestRef } from "../api.js";
import { escapeMarkdown } from "../../present/markdown/escape.js";
import { approveRefusal, currentHashes } from "../approvals.js";
import { createDirectory, listed, type Directory } from "../directory.js";
import { isBot, type Identity } from "../identity.js";
import { reaches } from "../../core/risk/permission.js";
import { refreshApprovals } from "../publish.js";
import { findingOf, type ReviewComment } from "../review-comments.js";
import type { StickyState, StoredWaiver } from "../state.js";
import { loadSticky } from "../sticky-comment.js";
import { codeSpan, helpText, invalidCommandReply, unknownCommandReply } from "./help.js";
import { parseComment, type Command, type ParsedComment } from "./parse.js";

export interface CommandComment {
  kind: "issue-comment" | "review-comment";
  id: number;
  body: string;
  user: { login: string; type?: string };
  /** For a review comment: the comment it replies to (the thread's first comment). */
  inReplyTo?: number;
  /** The body already parsed by the caller (the App, to skip comments without commands): not parsed again. */
  parsed?: ParsedComment;
}

export interface CommandContext {
  api: GitHubApi;
  pr: PullRequestRef;
  self: Identity;
  others: readonly Pick<Identity, "login">[];
  config: ShipshapeConfig;
  logger: Logger;
  now: string;
  /** Queue a new review (App); absent where a re-run is not possible (the Action). */
  recheck?: () => Promise<void>;
  explain: (rule: string) => string;
  checks: boolean;
  comment: boolean;
  approveButton?: boolean;
  /** Who people are on GitHub; one per event, so each role is asked once. */
  dir?: Directory;
}

export type Outcome = "done" | "refused" | "unknown" | "queued";

const REACTION: Record<Outcome, string> = { done: "+1", refused: "confused", unknown: "confused", queued: "rocket" };

export interface HandledCommand {
  /** The command's name, or the unknown word. */
  name: string;
  outcome: Outcome;
}

export async function handleCommandComment(comment: CommandComment, given: CommandContext): Promise<HandledCommand[]> {
  if (isBot({ user: comment.user })) return [];
  const parsed = comment.parsed ?? parseComment(comment.body, { appSlug: given.self.slug });
  if (parsed.results.length === 0) return [];
  // However many commands of a comment ask for it (recheck, waive, unwaive), one review is queued.
  let queued: Promise<void> | undefined;
  const recheck = given.recheck;
  const ctx: CommandContext = { ...given, dir: given.dir ?? createDirectory(given.api, given.pr), ...(recheck ? { recheck: () => (queued ??= recheck()) } : {}) };
  const thread = comment.kind === "review-comment" && comment.inReplyTo ? await threadFinding(ctx, comment.inReplyTo) : undefined;
  const handled: HandledCommand[] = [];
  const replies: string[] = [];
  for (const result of parsed.results) {
    if (result.kind === "unknown") {
      handled.push({ name: result.word, outcome: "unknown" });
      replies.push(unknownCommandReply(result, ctx.self.slug));
      continue;
    }
    if (result.kind === "invalid") {
      handled.push({ name: result.name, outcome: "unknown" });
      replies.push(invalidCommandReply(result));
      continue;
    }
    const { outcome, reply } = await run(result.command, comment.user.login, thread, ctx);
    handled.push({ name: result.command.name, outcome });
    if (reply) replies.push(reply);
  }
  const outcomes = handled.map((h) => h.outcome);
  if (parsed.ignored > 0) replies.push(`Only the first 10 commands of a comment run; ${parsed.ignored} more were ignored.`);
  const worst = outcomes.find((o) => o === "refused" || o === "unknown") ?? outcomes.find((o) => o === "queued") ?? "done";
  await react(ctx, comment, REACTION[worst]);
  if (replies.length > 0) await reply(ctx, comment, `@${comment.user.login} ${replies.join("\n\n---\n\n")}`);
  return handled;
}

interface ThreadFinding {
  findingId: string;
  ruleId?: string;
}

/** The finding of the review thread a reply is in, when the thread is Shipshape's. */
async function threadFinding(ctx: CommandContext, rootId: number): Promise<ThreadFinding | undefined> {
  let root: ReviewComment;
  try {
    root = (await ctx.api.request("GET /repos/{owner}/{repo}/pulls/comments/{comment_id}", { owner: ctx.pr.owner, repo: ctx.pr.repo, comment_id: rootId })).data as ReviewComment;
  } catch (err) {
    // The thread's first comment was deleted: the reply has no finding to refer to.
    if (httpStatus(err) === 404) return undefined;
    throw err;
  }
  const finding = findingOf(root, ctx.self);
  if (!finding) return undefined;
  return { findingId: finding.id, ...(finding.ruleId ? { ruleId: finding.ruleId } : {}) };
}

async function run(command: Command, user: string, thread: ThreadFinding | undefined, ctx: CommandContext): Promise<{ outcome: Outcome; reply?: string }> {
  switch (command.name) {
    case "help":
      return { outcome: "done", reply: helpText(ctx.self.slug) };
    case "recheck":
      if (!ctx.recheck) return { outcome: "refused", reply: "`recheck` is not available here: re-run the workflow instead." };
      if (!(await mayRecheck(user, ctx))) return { outcome: "refused", reply: `you cannot ask for a recheck here: ${RECHECK_NOT_ALLOWED}` };
      await ctx.recheck();
      return { outcome: "queued" };
    case "explain": {
      const rule = command.rule ?? thread?.ruleId;
      if (!rule) return { outcome: "refused", reply: "Name the rule to explain: `/shipshape explain <rule>` (rule ids are listed in the report)." };
      return { outcome: "done", reply: ctx.explain(rule) };
    }
    case "approve":
      return approve(user, command.reason, ctx);
    case "waive":
      return waive(user, command.rule, command.reason, thread, ctx);
    case "unwaive":
      return unwaive(user, command.rule, thread, ctx);
  }
}

async function currentState(ctx: CommandContext): Promise<{ state?: StickyState; problem?: string }> {
  const sticky = await loadSticky(ctx.api, ctx.pr, ctx.self, ctx.others);
  if (sticky.stateProblem) {
    // Edited by someone else (or unreadable): its approvals and waivers cannot be trusted.
    return { problem: "Shipshape's comment was changed by someone other than Shipshape, so the approvals and waivers recorded in it are not trusted; `/shipshape recheck` writes a fresh one (approvals and waivers given by command must then be given again)." };
  }
  if (!sticky.state) return { problem: "Shipshape has not reviewed this pull request yet; try again once its comment is there." };
  if (sticky.state.headSha !== ctx.pr.headSha) {
    return { problem: `Shipshape is still reviewing the latest commit (${ctx.pr.headSha.slice(0, 7)}); try again once its comment is updated.` };
  }
  if (sticky.state.incomplete) {
    // The state had to drop its risk items to fit the comment: approving now would cover nothing.
    return { problem: "this pull request has too many risky items for Shipshape to track approvals on it; split the change into smaller pull requests." };
  }
  return { state: sticky.state };
}

async function approve(user: string, reason: string | undefined, ctx: CommandContext): Promise<{ outcome: Outcome; reply?: string }> {
  const { state, problem } = await currentState(ctx);
  if (!state) return { outcome: "refused", reply: problem! };
  const refusal = await approveRefusal(user, state, { dir: ctx.dir!, pr: ctx.pr });
  if (refusal) return { outcome: "refused", reply: `your approval was not recorded: ${refusal}.` };
  await refreshApprovals(ctx, (s) => ({
    ...s,
    approvals: [...s.approvals, { user, itemHashes: currentHashes(s), via: "command", at: ctx.now, ...(reason ? { reason } : {}) }],
  }));
  return { outcome: "done" };
}

async function mayWaive(user: string, ctx: CommandContext): Promise<boolean> {
  const dir = ctx.dir!;
  if (await listed(dir, user, ctx.config.policies.owners, ctx.pr.owner)) return true;
  return dir.hasWriteAccess(user);
}

/**
 * A review costs the installation's shared API budget (check runs, tarballs, the comment) and a
 * renderer slot: only the pull request's author and people with at least triage access may
 * ask for one. Everyone else (on a public repository: anyone) gets a refusal; pushes, the
 * author and collaborators re-run it anyway.
 */
async function mayRecheck(user: string, ctx: CommandContext): Promise<boolean> {
  if (user.toLowerCase() === ctx.pr.author.toLowerCase()) return true;
  return reaches(await ctx.dir!.permission(user), "triage");
}

const RECHECK_NOT_ALLOWED = "a recheck can be asked for by the pull request's author or by someone with at least triage access to this repository.";

const NOT_ALLOWED = "waivers need write access to this repository or a place in `policies.owners` in `.github/shipshape.yml`.";

async function waive(user: string, rule: string | undefined, reason: string, thread: ThreadFinding | undefined, ctx: CommandContext): Promise<{ outcome: Outcome; reply?: string }> {
  if (!(await mayWaive(user, ctx))) return { outcome: "refused", reply: `you cannot waive findings here: ${NOT_ALLOWED}` };
  const target = rule ?? thread?.findingId;
  if (!target) return { outcome: "refused", reply: "Name what to waive: `/shipshape waive <rule> <reason>`, or reply to one of Shipshape's review comments." };
  const { state, problem } = await currentState(ctx);
  if (!state) return { outcome: "refused", reply: problem! };
  const isFinding = /^[0-9a-f]{12}$/.test(target);
  const waiver: StoredWaiver = { rule: !rule && thread?.ruleId ? thread.ruleId : target, ...(isFinding ? { findingId: target } : {}), by: user, reason, at: ctx.now };
  await refreshApprovals(ctx, (s) => ({ ...s, waivers: [...s.waivers.filter((w) => !sameWaiver(w, waiver)), waiver] }));
  const what = waiver.findingId ? `this finding (${codeSpan(waiver.rule)})` : codeSpan(waiver.rule);
  if (ctx.recheck) await ctx.recheck();
  return { outcome: ctx.recheck ? "queued" : "done", reply: `waived ${what} on this pull request: ${escapeMarkdown(reason)}${ctx.recheck ? " Re-checking." : ""}` };
}

async function unwaive(user: string, rule: string | undefined, thread: ThreadFinding | undefined, ctx: CommandContext): Promise<{ outcome: Outcome; reply?: string }> {
  if (!(await mayWaive(user, ctx))) return { outcome: "refused", reply: `you cannot remove waivers here: ${NOT_ALLOWED}` };
  const { state, problem } = await currentState(ctx);
  if (!state) return { outcome: "refused", reply: problem! };
  const target = rule ?? thread?.findingId;
  const matches = (w: StoredWaiver) => (target ? w.rule === target || w.findingId === target : false);
  if (!target || !state.waivers.some(matches)) {
    const listedWaivers = state.waivers.map((w) => codeSpan(w.findingId ?? w.rule)).join(", ") || "none";
    return { outcome: "refused", reply: `there is no waiver for ${target ? codeSpan(target) : "that"} on this pull request (waivers: ${listedWaivers}).` };
  }
  await refreshApprovals(ctx, (s) => ({ ...s, waivers: s.waivers.filter((w) => !matches(w)) }));
  if (ctx.recheck) await ctx.recheck();
  return { outcome: ctx.recheck ? "queued" : "done", reply: `removed the waiver for ${codeSpan(target)}.${ctx.recheck ? " Re-checking." : ""}` };
}

function sameWaiver(a: StoredWaiver, b: StoredWaiver): boolean {
  return a.findingId || b.findingId ? a.findingId === b.findingId : a.rule === b.rule;
}

async function react(ctx: CommandContext, comment: CommandComment, content: string): Promise<void> {
  const route = comment.kind === "issue-comment" ? "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions" : "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions";
  try {
    await ctx.api.request(route, { owner: ctx.pr.owner, repo: ctx.pr.repo, comment_id: comment.id, content });
  } catch (err) {
    // A reaction is a courtesy; a failure must not hide the reply.
    ctx.logger.warn("could not react to a command", { status: httpStatus(err) });
  }
}

async function reply(ctx: CommandContext, comment: CommandComment, body: string): Promise<void> {
  const repo = { owner: ctx.pr.owner, repo: ctx.pr.repo };
  if (comment.kind === "review-comment") {
    await ctx.api.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies", { ...repo, pull_number: ctx.pr.number, comment_id: comment.inReplyTo ?? comment.id, body });
  } else {
    await ctx.api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: ctx.pr.number, body });
  }
}
