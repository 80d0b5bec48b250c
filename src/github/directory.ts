/**
 * Who people are on GitHub, asked once per person per run (one Directory per event): team
 * membership (for approvers and policy owners written as teams) and the role on the
 * repository (every approval, and waivers).
 */
import type { GitHubApi, RepoRef } from "./api.js";
import { httpStatus } from "./api.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";
import { isRepoRole, meetsMinimum, type RepoRole } from "../core/risk/permission.js";

export interface Directory {
  isTeamMember(user: string, team: string): Promise<boolean>;
  /** "none" for someone who is not a collaborator; "unknown" when GitHub did not answer. */
  permission(user: string): Promise<RepoRole | "unknown">;
  hasWriteAccess(user: string): Promise<boolean>;
}

interface PermissionResponse {
  permission?: string;
  role_name?: string;
  user?: { permissions?: Partial<Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean>> } | null;
}

/**
 * The role from `GET /repos/{owner}/{repo}/collaborators/{username}/permission`. `role_name`
 * names the role itself, but a custom role has its own name there: its base role is then read
 * from the `user.permissions` flags. The legacy `permission` (maintain shown as write, triage
 * as read) is the last resort.
 */
export function roleOf(data: PermissionResponse): RepoRole {
  if (isRepoRole(data.role_name)) return data.role_name;
  const flags = data.user?.permissions;
  if (flags) return flags.admin ? "admin" : flags.maintain ? "maintain" : flags.push ? "write" : flags.triage ? "triage" : flags.pull ? "read" : "none";
  return isRepoRole(data.permission) ? data.permission : "none";
}

/** "team:platform", "team:acme/platform", "acme/platform", "@acme/platform" → org and slug. */
export function parseTeam(entry: string, defaultOrg: string): { org: string; slug: string } | undefined {
  const raw = entry.replace(/^@/, "");
  const name = raw.startsWith(TEAM_PREFIX) ? raw.slice(TEAM_PREFIX.length).replace(/^@/, "") : raw.includes("/") ? raw : undefined;
  if (name === undefined) return undefined;
  const slash = name.indexOf("/");
  return slash < 0 ? { org: defaultOrg, slug: name } : { org: name.slice(0, slash), slug: name.slice(slash + 1) };
}

export function createDirectory(api: GitHubApi, ref: RepoRef): Directory {
  // Only these two: a pull request passed as the ref would add its fields to the query string.
  const repo: RepoRef = { owner: ref.owner, repo: ref.repo };
  const membership = new Map<string, Promise<boolean>>();
  const roles = new Map<string, Promise<RepoRole | "unknown">>();
  const permission = (user: string): Promise<RepoRole | "unknown"> => {
    const key = user.toLowerCase();
    let p = roles.get(key);
    if (!p) {
      p = api
        .request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...repo, username: user })
        .then(({ data }) => roleOf(data as PermissionResponse))
        .catch((err: unknown): RepoRole | "unknown" => {
          // 404: not a collaborator (or no such user). Anything else is not an answer: it never counts.
          return httpStatus(err) === 404 ? "none" : "unknown";
        });
      roles.set(key, p);
    }
    return p;
  };
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
    permission,
    async hasWriteAccess(user) {
      return meetsMinimum(await permission(user), "write");
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
