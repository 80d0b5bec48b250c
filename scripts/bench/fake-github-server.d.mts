// Types for fake-github-server.mjs (plain JavaScript, shared with the bench), for the TypeScript tests.
export declare const BOT: { login: string; type: string };
export declare function githubTarball(dir: string, prefix: string): Promise<Buffer>;
export declare function appIdOfJwt(token: string | undefined): string | undefined;

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
  /** The APP_ID of the process that made the request (from its token or JWT). */
  app: string | undefined;
  at: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; text?: string };
  updates: any[];
}

export interface FakePull {
  number: number;
  headSha: string;
  baseSha: string;
  author: string;
  files: { filename: string; status: string; patch?: string }[];
}

export declare class FakeGitHubServer {
  constructor(options?: { owner?: string; repo?: string; installation?: number; config?: string });
  owner: string;
  repo: string;
  installation: number;
  config: string | undefined;
  host: string;
  pulls: Map<number, FakePull>;
  tarballs: Map<string, Buffer>;
  checkRuns: FakeCheckRun[];
  comments: { id: number; pr: number; body: string; user: { login: string; type: string } }[];
  reviews: { id: number; pr: number; commit_id: string; body?: string }[];
  reviewComments: { id: number; pr: number; body: string; path?: string; line?: number; commit_id?: string }[];
  requests: RecordedRequest[];
  unexpected: string[];
  onRequest: ((record: RecordedRequest) => void) | undefined;
  latencyMs: number;
  start(): Promise<string>;
  stop(): Promise<void>;
  setPull(number: number, pull: { headSha: string; baseSha: string; author?: string; files?: FakePull["files"] }): void;
  addTarball(sha: string, bytes: Buffer): void;
  pullFields(number: number): any;
  byPath(method: string, pattern: RegExp): RecordedRequest[];
  check(name: string, sha: string): FakeCheckRun | undefined;
  openChecks(): FakeCheckRun[];
}
