/**
 * One App case: a fresh fake GitHub prepared by the case (a repository, a pull request, what
 * an earlier review left), the App started with canary credentials, the case's webhook events
 * delivered, then every request body sent to GitHub and every log line scanned. Approval
 * cases also fail when `Shipshape / approval` turns green during the attack.
 */
import { scanFences } from "../../../present/markdown-scan.js";
import { CHECK_NAMES } from "../../../../src/github/checks.js";
import type { FakeGitHub } from "../../../app/helpers/fake-github.js";
import { pullRequestPayload } from "../../../app/helpers/payloads.js";
import { CorpusGitHub, pullRequestOf, startCorpusApp, stopCorpusApp, type CorpusApp } from "./app.js";
import { changedEntries, listing, type FileMap } from "./files.js";
import { slug, type Host } from "./host.js";
import { markersFor, scan, type Guarantee, type Violation } from "./scan.js";

export interface AppCaseContext {
  host: Host;
  id: string;
  gh: CorpusGitHub;
  app: CorpusApp;
}

export interface MarkupRules {
  /** Must not appear anywhere in a body sent to GitHub, not even in code (Shipshape reads its own markers everywhere). */
  nowhere?: string[];
  /** Must not appear outside code blocks and code spans, where GitHub would render it (tags, links, HTML comments). */
  outsideCode?: string[];
  /** Must not appear outside any code, `<code>` and `<pre>` elements included, where GitHub would link it (mentions, #references). */
  outsideAnyCode?: string[];
  /** At most this many parts of the sticky comment. */
  maxStickyParts?: number;
}

export interface AppCase {
  id: string;
  attack: string;
  targets: Guarantee[];
  /** State on GitHub before the attack (repository, pull request, earlier comments). Runs before the App starts. */
  prepare(gh: CorpusGitHub, host: Host, id: string): Promise<void> | void;
  /** The attacker's events. */
  act(ctx: AppCaseContext): Promise<void>;
  secrets?: (host: Host, id: string) => string[];
  markup?: (host: Host, id: string) => MarkupRules;
  /** The case's own judgement once the App is idle (a check that must stay pending, a time bound). */
  verdict?: (ctx: AppCaseContext) => Violation[] | Promise<Violation[]>;
}

export interface AppCaseResult {
  violations: Violation[];
  gh: CorpusGitHub;
  logs: string[];
  ms: number;
}

export async function runAppCase(c: AppCase, host: Host): Promise<AppCaseResult> {
  const started = Date.now();
  const sentinelBefore = await listing(host.sentinel);
  const gh = new CorpusGitHub();
  // Preparing may run reviews of its own (with their own App): done before this one starts.
  await c.prepare(gh, host, c.id);
  const app = await startCorpusApp(host);
  const violations: Violation[] = [];
  try {
    gh.install();
    const from = gh.requests.length;
    await c.act({ host, id: c.id, gh, app });
    await app.app.idle();
    const during = gh.requests.slice(from);

    const markers = markersFor(host, { secrets: c.secrets?.(host, c.id) ?? [] });
    // The App's signing key: any 40 characters of its body would identify it.
    const keyLine = app.privateKey.split("\n")[5]!.slice(0, 40);
    markers.push({ guarantee: "process-env", what: "the App's private key", pattern: new RegExp(keyLine.replace(/[+/]/g, "\\$&")) });
    for (const r of gh.requests) {
      if (r.body === undefined || r.body === "") continue;
      violations.push(...scan(typeof r.body === "string" ? r.body : JSON.stringify(r.body), `${r.method} ${r.path}`, markers));
    }
    app.logs.forEach((line, i) => violations.push(...scan(line, `log line ${i + 1}`, markers)));

    if (c.targets.includes("approval")) violations.push(...approvalsTurnedGreen(gh, during));
    if (c.markup) violations.push(...markupViolations(gh, c.markup(host, c.id)));
    if (c.verdict) violations.push(...(await c.verdict({ host, id: c.id, gh, app })));
    for (const route of gh.unexpected) violations.push({ guarantee: "harness", detail: `the fake GitHub does not know ${route}; extend test/security/corpus/harness/app.ts` });
  } finally {
    stopCorpusApp();
  }
  for (const hit of host.loopback.hits.filter((h) => h.url.includes(`/c/${slug(c.id)}/`))) {
    violations.push({ guarantee: "network", detail: `the loopback server received ${hit.method} ${hit.url}` });
  }
  for (const path of changedEntries(sentinelBefore, await listing(host.sentinel))) {
    if (path.includes(slug(c.id))) violations.push({ guarantee: "write", detail: `written outside the scratch folder: ${path}` });
  }
  return { violations, gh, logs: app.logs, ms: Date.now() - started };
}

/** A check-run write during the attack that completes `Shipshape / approval` with success. */
function approvalsTurnedGreen(gh: FakeGitHub, during: FakeGitHub["requests"]): Violation[] {
  const approvalIds = new Set(gh.checkRuns.filter((r) => r.name === CHECK_NAMES.approval).map((r) => String(r.id)));
  const out: Violation[] = [];
  for (const r of during) {
    if (r.body?.conclusion !== "success") continue;
    const created = r.method === "POST" && /\/check-runs$/.test(r.path) && r.body.name === CHECK_NAMES.approval;
    const updated = r.method === "PATCH" && approvalIds.has(r.path.split("/").at(-1)!);
    if (created || updated) out.push({ guarantee: "approval", detail: `${r.method} ${r.path} completed "${CHECK_NAMES.approval}" with success: ${JSON.stringify(r.body.output?.title ?? "")}` });
  }
  return out;
}

/** Bodies of comments, review comments, replies and check runs as GitHub would render them. */
function markdownBodies(gh: FakeGitHub): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const r of gh.requests) {
    if (r.method !== "POST" && r.method !== "PATCH") continue;
    const b = r.body;
    if (!b || typeof b !== "object") continue;
    // Check-run titles and annotations are plain text on GitHub: nothing in them renders.
    for (const [field, text] of [["body", b.body], ["output.summary", b.output?.summary], ["output.text", b.output?.text]] as const) {
      if (typeof text === "string") out.push({ where: `${r.method} ${r.path} ${field}`, text });
    }
    for (const [i, c] of (b.comments ?? []).entries()) if (typeof c?.body === "string") out.push({ where: `${r.method} ${r.path} comments[${i}]`, text: c.body });
  }
  return out;
}

function markupViolations(gh: FakeGitHub, rules: MarkupRules): Violation[] {
  const out: Violation[] = [];
  for (const { where, text } of markdownBodies(gh)) {
    for (const s of rules.nowhere ?? []) if (text.includes(s)) out.push({ guarantee: "markup", detail: `${JSON.stringify(s)} sent as is in ${where}` });
    const prose = outsideCode(text);
    for (const s of rules.outsideCode ?? []) if (prose.includes(s)) out.push({ guarantee: "markup", detail: `${JSON.stringify(s)} outside code in ${where}` });
    const linked = prose.replace(/<(code|pre)>[\s\S]*?<\/\1>/g, " ");
    for (const s of rules.outsideAnyCode ?? []) if (linked.includes(s)) out.push({ guarantee: "markup", detail: `${JSON.stringify(s)} outside code in ${where}` });
    if (rules.maxStickyParts !== undefined && text.length > 65_536) out.push({ guarantee: "markup", detail: `${where} is ${text.length} characters, over GitHub's 65,536` });
  }
  if (rules.maxStickyParts !== undefined) {
    const parts = gh.comments.filter((c) => c.body.includes("<!-- shipshape:sticky")).length;
    if (parts > rules.maxStickyParts) out.push({ guarantee: "markup", detail: `the sticky comment has ${parts} parts (at most ${rules.maxStickyParts})` });
  }
  return out;
}

/** The text outside fenced code blocks and inline code spans; an unclosed fence counts as prose. */
function outsideCode(markdown: string): string {
  let prose: string;
  try {
    prose = scanFences(markdown).outside;
  } catch {
    prose = markdown;
  }
  return prose.replace(/(`+)[^`]*?\1/g, " ");
}

/** A pull request reviewed once, kept as what GitHub would hold, so each case starts from it. */
export interface Reviewed {
  config?: string;
  tarballs: Map<string, Buffer>;
  files: FakeGitHub["files"];
  comments: FakeGitHub["comments"];
  reviewComments: FakeGitHub["reviewComments"];
  checkRuns: FakeGitHub["checkRuns"];
  restore(gh: FakeGitHub): void;
}

export async function reviewOnce(host: Host, base: FileMap, head: FileMap, config?: string, extra: [string, FileMap][] = []): Promise<Reviewed> {
  const pr = await pullRequestOf(base, head, extra);
  const app = await startCorpusApp(host);
  const gh = new CorpusGitHub();
  const setup = (g: FakeGitHub) => {
    if (config !== undefined) g.config = config;
    g.tarballs = pr.tarballs;
    g.files = pr.files;
  };
  try {
    setup(gh);
    gh.install();
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
  } finally {
    stopCorpusApp();
  }
  if (gh.unexpected.length > 0) throw new Error(`the review made requests the fake GitHub does not know: ${gh.unexpected.join(", ")}`);
  const reviewed: Reviewed = {
    ...(config !== undefined ? { config } : {}),
    tarballs: pr.tarballs,
    files: pr.files,
    comments: structuredClone(gh.comments),
    reviewComments: structuredClone(gh.reviewComments),
    checkRuns: structuredClone(gh.checkRuns),
    restore(g) {
      setup(g);
      g.comments = structuredClone(reviewed.comments);
      g.reviewComments = structuredClone(reviewed.reviewComments);
      g.checkRuns = structuredClone(reviewed.checkRuns);
    },
  };
  return reviewed;
}
