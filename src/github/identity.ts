/**
 * Who Shipshape is on GitHub. The App posts as `<slug>[bot]`, the Action as
 * `github-actions[bot]`. Shipshape's own comments are found by a hidden marker AND by author:
 * a marker in anyone else's comment is ignored, and state (approvals, waivers) is read only
 * from a comment Shipshape itself wrote, since nobody else can write as a bot account.
 */
import type { StateKey } from "./state.js";

export interface Identity {
  /** The bot login, e.g. "shipshape[bot]". */
  login: string;
  /** The slug people @-mention: "shipshape". */
  slug: string;
  /**
   * Signs the state in this identity's comments (state.ts), so an edit by someone else is
   * refused. The App has one; the Action has no secret that outlives a run.
   */
  stateKey?: StateKey;
}

export interface Author {
  user?: { login?: string; type?: string } | null;
}

export const ACTIONS_BOT = "github-actions[bot]";

export function appIdentity(slug: string, stateKey?: StateKey): Identity {
  return { login: `${slug}[bot]`, slug, ...(stateKey ? { stateKey } : {}) };
}

export function isAuthor(comment: Author, identity: Pick<Identity, "login">): boolean {
  return comment.user?.login?.toLowerCase() === identity.login.toLowerCase();
}

/** Bots never issue commands: this covers Shipshape itself, other apps and Actions. */
export function isBot(comment: Author): boolean {
  return comment.user?.type === "Bot" || (comment.user?.login ?? "").endsWith("[bot]");
}
