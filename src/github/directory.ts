/**
 * Who people are on GitHub, asked once per person per run: team membership (for approvers and
 * policy owners written as teams) and repository permission (for waivers).
 */
import type { GitHubApi, RepoRef } from "./api.js";
import { httpStatus } from "./api.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";

export interface Directory {
  isTeamMember(user: string, team: string): Promise<boolean>;
  hasWriteAccess(user: string): Promise<boolean>;
}

/** "team:platform", "team:acme/platform", "acme/platform", "@acme/platform" → org and slug. */
export function parseTeam(entry: string, defaultOrg: string): { org: string; slug: string } | undefined {
  const raw = entry.replace(/^@/, "");
  const name = raw.startsWith(TEAM_PREFIX) ? raw.slice(TEAM_PREFIX.length).replace(/^@/, "") : raw.includes("/") ? raw : undefined;
  if (name === undefined) return undefined;
  const slash = name.indexOf("/");
  return slash < 0 ? { org: defaultOrg, slug: name } : { org: name.slice(0, slash), slug: name.slice(slash + 1) };
}

export function createDirectory(api: GitHubApi, repo: RepoRef): Directory {
  const membership = new Map<string, Promise<boolean>>();
  const permission = new Map<string, Promise<boolean>>();
  return {
    isTeamMember(user, team) {
      const parsed = parseTeam(team, repo.owner);
      if (!parsed) return Promise.resolve(false);
      const key = `${parsed.org}/${parsed.slug}|${user.toLowerCase()}`;
      let p = membership.get(key);
      if (!p) {
        p = api
          .request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org: parsed.org, team_slug: parsed.slug, username: user })
          .then(({ data }) => (data as { state?: string }).state === "active")
          .catch((err: unknown) => {
            if (httpStatus(err) === 404) return false;
            throw err;
          });
        membership.set(key, p);
      }
      return p;
    },
    hasWriteAccess(user) {
      const key = user.toLowerCase();
      let p = permission.get(key);
      if (!p) {
        p = api
          .request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...repo, username: user })
          .then(({ data }) => ["admin", "maintain", "write"].includes((data as { role_name?: string; permission?: string }).role_name ?? (data as { permission?: string }).permission ?? ""))
          .catch((err: unknown) => {
            if (httpStatus(err) === 404) return false;
            throw err;
          });
        permission.set(key, p);
      }
      return p;
    },
  };
}

/** Whether a login or team list names this user. An entry is a login, or a team as above. */
export async function listed(dir: Directory, user: string, entries: readonly string[], defaultOrg: string): Promise<boolean> {
  const who = user.toLowerCase();
  for (const entry of entries) {
    if (parseTeam(entry, defaultOrg)) {
      if (await dir.isTeamMember(user, entry)) return true;
    } else if (entry.replace(/^@/, "").toLowerCase() === who) {
      return true;
    }
  }
  return false;
}
