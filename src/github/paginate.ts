/**
 * Page-number pagination over list endpoints. A bound on pages keeps a pathological pull
 * request (tens of thousands of comments) from stalling an analysis.
 */
import type { GitHubApi } from "./api.js";

export const PER_PAGE = 100;

export async function listAll<T>(api: GitHubApi, route: string, params: Record<string, unknown>, maxPages = 30, pick?: (data: any) => T[]): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const { data } = await api.request(route, { ...params, per_page: PER_PAGE, page });
    const batch: T[] = pick ? pick(data) : (data as T[]);
    items.push(...batch);
    if (batch.length < PER_PAGE) break;
  }
  return items;
}
