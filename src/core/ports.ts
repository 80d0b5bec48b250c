/**
 * The interfaces through which the pure core reaches the outside world. Adapters in
 * src/render, src/repo, src/cli (and later src/github) implement them; the core never
 * imports fs, child_process or GitHub clients.
 */
import type { Resource } from "./model/resource.js";
import type { RendererInfo } from "./model/report.js";
import type { Severity } from "./model/finding.js";
import type { TargetSpec, TargetType } from "./model/target.js";

/**
 * One side of the change: a read-only snapshot of the repository. Paths are repo-relative
 * POSIX paths ("apps/api/kustomization.yaml"). Symlinks that resolve outside the snapshot
 * are not part of it.
 */
export interface Tree {
  /** What the user named: a git revision or a directory. */
  readonly ref: string;
  /**
   * Private local directory that `materialize` writes into; renderers run tools in it and
   * may rewrite their own materialised copies there (kustomize origin annotations). Never
   * the user's working tree. Opaque to the core.
   */
  readonly root: string;
  /** Every regular file in the snapshot, sorted. */
  files(): readonly string[];
  hasFile(path: string): boolean;
  /** True when some file lives under this directory ("." is the root). */
  hasDir(path: string): boolean;
  /** Reads a file as UTF-8; rejects with TreeReadError when absent, over the size cap or not UTF-8. */
  read(path: string): Promise<string>;
  /** Content digest used to decide whether a file changed between base and head. */
  digest(path: string): Promise<string>;
  /**
   * Makes sure these files exist on disk under `root`, for tools that read the disk.
   * Snapshots are written lazily so the cost follows the change, not the repository size;
   * a renderer that runs a binary materialises exactly its inputs first.
   */
  materialize(paths: Iterable<string>): Promise<void>;
  /** Problems found while taking the snapshot (e.g. symlinks leading outside it, removed). */
  readonly warnings?: readonly InputProblem[];
}

export class TreeReadError extends Error {
  constructor(
    readonly path: string,
    /** invalid-utf8: the bytes are not UTF-8; the file is not guessed at (no U+FFFD). */
    readonly reason: "missing" | "too-large" | "unreadable" | "invalid-utf8",
    message: string,
    /** 1-based line of the problem, when known (the first invalid byte). */
    readonly line?: number,
  ) {
    super(message);
    this.name = "TreeReadError";
  }

  /** The finding for a file a target needs: input/invalid-utf8, else input/unreadable. */
  toProblem(): InputProblem {
    return {
      ruleId: this.reason === "invalid-utf8" ? "input/invalid-utf8" : "input/unreadable",
      severity: "error",
      message: this.message,
      file: this.path,
      ...(this.line !== undefined ? { line: this.line } : {}),
    };
  }
}

/** A problem with a target's input, found before or during rendering. */
export interface InputProblem {
  ruleId: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  /**
   * What the problem is about, for its finding's id: the offending content (a key, a value's
   * path), never where it is. Defaults to the message without its file and line numbers.
   */
  key?: string;
}

/** The files a target's render reads, found by reading its definition (not by rendering). */
export interface InputSet {
  files: Set<string>;
  /**
   * Inputs that stay free for other targets' discovery: an Argo CD Application's own file is
   * read by its target, yet is still a manifest that a folder target (or a parent app) applies.
   */
  shared?: readonly string[];
  /**
   * For input files of which the target uses only a part (one object of a multi-document file:
   * a Flux Kustomization's substitution ConfigMap), a digest of that part: the target is affected
   * when it differs between base and head, not whenever the file does. Files without one
   * compare whole.
   */
  fingerprints?: ReadonlyMap<string, string>;
  /** Problems that make the target impossible to render (remote base, missing file...). */
  blocking: InputProblem[];
  /** Problems worth reporting that do not stop the render. */
  warnings: InputProblem[];
  /**
   * Values the target holds as secrets, known before rendering (generator literals, env
   * files, `.env` credentials): they join the run's secret set, so even a failed render's
   * message cannot show them.
   */
  secrets?: readonly string[];
  /**
   * Secret values whose name says they are credentials (a `password=` literal, a credential
   * in a values file): scrubbed even when they are plain words.
   */
  credentials?: readonly string[];
}

export interface RenderLimits {
  timeoutMs: number;
  maxOutputBytes: number;
  /**
   * Output all renders of the review may produce together (render.maxTotalOutputBytes): the
   * scheduler makes it an OutputBudget that renderers count their tools' output against.
   */
  maxTotalOutputBytes?: number;
  /** What is left of maxTotalOutputBytes; shared by every render of the review. */
  outputBudget?: OutputBudget;
  /**
   * Memory of the renderer's whole process tree; above it the render stops
   * (render/memory-limit). The config always sets it (render.maxMemoryMiB); absent: no limit.
   */
  maxMemoryBytes?: number;
  /** Aborted when the review's time budget runs out: the render stops at once. */
  signal?: AbortSignal;
}

/** Bytes of render output left for the rest of the review (see core/pipeline/output-budget.ts). */
export interface OutputBudget {
  readonly limit: number;
  /** Counts `bytes` against the budget; false once it is spent (those bytes included). */
  take(bytes: number): boolean;
  readonly exhausted: boolean;
}

/**
 * The three ways a render ends. Kept apart on purpose: "the input is broken" is the
 * user's to fix and becomes a finding; "the tool is broken" is ours or the machine's
 * and makes the run exit 3.
 */
export type RenderOutcome =
  | { status: "ok"; resources: Resource[]; warnings: InputProblem[] }
  | { status: "invalid"; problems: InputProblem[] }
  | { status: "tool-error"; message: string };

export interface DiscoveryContext {
  /** True when the file is already an input of (or lives inside) another target. */
  isOwned(path: string): boolean;
}

/** One renderer per target type, registered by name in the renderer registry. */
export interface Renderer {
  readonly type: TargetType;
  /**
   * Targets found by convention. Renderers whose discovery depends on what other targets
   * own (plain manifests) declare `discoverLast`.
   */
  discover(tree: Tree, context: DiscoveryContext): Promise<TargetSpec[]>;
  readonly discoverLast?: boolean;
  /** Discovers before every other renderer: GitOps applications, whose folders the others then leave alone. */
  readonly discoverFirst?: boolean;
  /**
   * Folders whose convention targets (of other types) this target replaces: an Argo CD
   * Application's source folder is reviewed once, as the application.
   */
  supersedes?(target: TargetSpec, tree: Tree, inputs: InputSet): string[];
  /**
   * Paths this target owns for discovery beyond its input files, so plain-manifest discovery
   * leaves them alone: "dir" owns everything below dir (a chart), "dir/*" only the files
   * directly in dir (a kustomization's folder, whose stray patches are not manifests).
   */
  owns?(target: TargetSpec, tree: Tree, inputs: InputSet): string[];
  /**
   * Paths the tool uses whatever the targets are (same forms as `owns`): a Component that no
   * kustomization uses is no target, yet its folder and its patches are still not manifests.
   */
  claims?(tree: Tree): Promise<string[]>;
  inputs(target: TargetSpec, tree: Tree): Promise<InputSet>;
  /**
   * GitOps objects of this renderer's controller in another target's rendered output (an
   * app-of-apps chart's Applications, a Kustomization's HelmReleases): the targets they
   * define, each with `renderedFrom` set, so `inputs` and `render` work from the object.
   */
  fromRendered?(resources: readonly Resource[], parent: TargetSpec, tree: Tree): Promise<TargetSpec[]>;
  /**
   * The target of a file this child (from `fromRendered`) renders another way (an overlay's
   * patch of a base object) and the file: when every target that builds that file made such a
   * child, the file's own target is no separate review (embedded.ts).
   */
  renderedOrigin?(child: TargetSpec, tree: Tree): Promise<{ id: string; file: string } | undefined>;
  /**
   * Text one of a target's input files must hold for its render to contain this renderer's
   * GitOps objects (an API group): targets without it are not rendered just to look.
   */
  readonly renderedMarkers?: readonly string[];
  /**
   * True when the same input may render differently (helm's `randAlphaNum`, `uuidv4`…): when
   * such a target shows changes, the review renders its head once more and leaves out what
   * differs between the two renders.
   */
  readonly nondeterministic?: boolean;
  render(target: TargetSpec, tree: Tree, limits: RenderLimits): Promise<RenderOutcome>;
  /** Which tool and version renders; resolved once and cached by the adapter. */
  info(): Promise<RendererInfo>;
  /**
   * Coverage: what this target builds on that may build on its own (a kustomization's bases
   * and overlays, Components left out). When every user of a changed file fails, the review
   * renders the nearest of these that read it.
   */
  parts?(target: TargetSpec, tree: Tree, inputs: InputSet): Promise<TargetSpec[]>;
  /**
   * Coverage: why a changed file no target reads still belongs to this kind of infrastructure,
   * as a clause ("it is in kustomize Component c, which no kustomization uses"); undefined when
   * the file is not this renderer's.
   */
  explainUnread?(path: string, tree: Tree, context: UnreadContext): Promise<string | undefined>;
}

/** What the review knows about one side when a renderer explains an unread file. */
export interface UnreadContext {
  /** True when this folder is the path of a target of this type. */
  isTarget(path: string, type: TargetType): boolean;
  /** True when some target reads this file. */
  isInput(path: string): boolean;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
};

/** One schema or API problem with a rendered resource. */
export interface SchemaIssue {
  /** schema/unknown-field, schema/type, schema/required, schema/enum, api/removed, api/deprecated, schema/no-schema, ... */
  ruleId: string;
  severity: Severity;
  /** Names the JSON path, what was expected and the offending value (truncated). */
  message: string;
  resource: Resource;
  /** JSON path inside the resource, e.g. "spec.template.spec.containers[0].imagePullPolicyy"; "" for the whole object. */
  path: string;
  /** Repository location when the validator knows better than `resource.source`. */
  file?: string;
  line?: number;
}

export interface ValidationRequest {
  side: "base" | "head";
  tree: Tree;
  target: TargetSpec;
  /** "1.31": already checked against the bundled versions. */
  kubernetesVersion: string;
  resources: readonly Resource[];
  /** CustomResourceDefinitions rendered by any target on this side in this run. */
  crds: readonly Resource[];
}

/**
 * Validates rendered resources (Kubernetes objects against the bundled OpenAPI schemas
 * and CRDs, Compose entries against the Compose spec). "The validator broke" is thrown;
 * "the resource is invalid" is returned as issues.
 */
export interface Validator {
  validate(request: ValidationRequest): Promise<SchemaIssue[]>;
  /** The version used when neither the config nor the CLI names one (the newest bundled). */
  readonly defaultKubernetesVersion: string;
  /** Whether a built-in kind is namespaced in this version, as the schema bundle says. */
  kindScope?(kubernetesVersion: string, apiVersion: string, kind: string): Promise<"namespaced" | "cluster" | undefined>;
}

/** What a policy rule said about one resource. Passing rules are not reported. */
export interface PolicyIssue {
  policy: string;
  rule: string;
  /**
   * fail: the resource violates the rule. skip: the rule could not be evaluated offline
   * (mutate, generate, verifyImages, API-call context, CEL...) — reported, never passed
   * silently. error: the policy itself is broken (bad JMESPath, unknown operator).
   */
  status: "fail" | "skip" | "error";
  severity: Severity;
  /** The policy's message with variables substituted, or the reason for skip/error. */
  message: string;
  resource: Resource;
  /** JSON path of the offending field when the engine knows it. */
  path?: string;
}

export interface PolicyRequest {
  side: "base" | "head";
  target: TargetSpec;
  /** The target's rendered resources: the ones findings are reported on. */
  resources: readonly Resource[];
  /** Every resource rendered on this side, for cross-resource rules (NetworkPolicy per namespace...). */
  allResources: readonly Resource[];
  /**
   * Head side: the target's base resources. A resource the change modifies is judged as an
   * UPDATE of its base version, one it removes as a DELETE (by rules that select DELETE).
   */
  previous?: readonly Resource[];
  /**
   * Every resource rendered on the base side (both sides get it): the admission policies among
   * them, their bindings, params and Namespaces judge the change — never the head's own.
   */
  baseResources?: readonly Resource[];
}

export interface PolicyEvaluator {
  evaluate(request: PolicyRequest): Promise<PolicyIssue[]>;
}
