/**
 * Credentials for private chart repositories and registries: the operator's, never the
 * repository's. An entry point reads them once (chart-credentials-env.ts) as JSON keyed by
 * `host` or `host:port`, exactly as `gitops.allowedHosts` writes hosts:
 *
 *   {"charts.example.com": {"username": "ci", "password": "…"}, "registry.example.com:5000": {"token": "…"}}
 *
 * A credential is sent only to the host[:port] it is keyed for (never to another host, a
 * redirect's or an index's download URL elsewhere, nor a token realm elsewhere: each host gets
 * its own entry or nothing), only over https (plain http on the loopback interface alone), and
 * only when that host is also allowed. Pure: parsing and lookup; no I/O.
 */

export type ChartCredential = { kind: "basic"; username: string; password: string } | { kind: "token"; token: string };

/** Keyed by lower-cased `host` or `host:port`. */
export type ChartCredentials = ReadonlyMap<string, ChartCredential>;

/** The operator's setting as an entry point read it: a bad value is kept to be reported at start-up. */
export type ChartCredentialsSetting = { ok: true; credentials: ChartCredentials } | { ok: false; error: string };

const HOST_KEY = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?$/;

/**
 * `source` names where the text came from (a variable, a file, an input) in the error. Errors
 * name keys and fields, never a value: the text is a secret.
 */
export function parseChartCredentials(text: string, source: string): ChartCredentialsSetting {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the error: only the position is repeated.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    return { ok: false, error: `${source}: not valid JSON${at ? ` (at character ${at})` : ""}; expected {"<host[:port]>": {"username": "…", "password": "…"} or {"token": "…"}}` };
  }
  if (!isObject(parsed)) return { ok: false, error: `${source}: must be a JSON object keyed by host or host:port` };
  const out = new Map<string, ChartCredential>();
  for (const [rawKey, value] of Object.entries(parsed)) {
    const key = rawKey.trim().toLowerCase();
    const shown = JSON.stringify(rawKey.slice(0, 80));
    if (!HOST_KEY.test(key)) return { ok: false, error: `${source}: key ${shown} must be a host or host:port (no scheme, no path), as in gitops.allowedHosts` };
    if (out.has(key)) return { ok: false, error: `${source}: host ${key} is given twice` };
    const credential = readCredential(value);
    if (typeof credential === "string") return { ok: false, error: `${source}: ${key}: ${credential}` };
    out.set(key, credential);
  }
  return { ok: true, credentials: out };
}

function readCredential(value: unknown): ChartCredential | string {
  const expected = 'must be {"username": "…", "password": "…"} or {"token": "…"}';
  if (!isObject(value)) return expected;
  const fields = Object.keys(value).sort().join(",");
  const text = (name: string): string | undefined => (typeof value[name] === "string" && value[name] !== "" ? (value[name] as string) : undefined);
  if (fields === "password,username") {
    const username = text("username");
    const password = text("password");
    if (username === undefined || password === undefined) return "username and password must be non-empty strings";
    // RFC 7617: the user-id of Basic authentication cannot hold a colon.
    if (username.includes(":")) return "the username cannot contain \":\" (Basic authentication)";
    return { kind: "basic", username, password };
  }
  if (fields === "token") {
    const token = text("token");
    return token === undefined ? "token must be a non-empty string" : { kind: "token", token };
  }
  const unknown = Object.keys(value).filter((k) => !["username", "password", "token"].includes(k));
  return unknown.length > 0 ? `unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}; ${expected}` : expected;
}

/**
 * Every value a run must scrub: passwords, tokens and the Basic header form. User names are not
 * secrets (and a common one, "admin", would be scrubbed out of every report).
 */
export function chartCredentialSecrets(credentials: ChartCredentials): string[] {
  const out: string[] = [];
  for (const c of credentials.values()) {
    if (c.kind === "token") out.push(c.token);
    else out.push(c.password, basicValue(c));
  }
  return out;
}

/** The key a URL's host is looked up under: `host`, or `host:port` when the port is not the scheme's default. */
export function hostKey(url: URL): string {
  const host = url.hostname.toLowerCase();
  return url.port === "" ? host : `${host}:${url.port}`;
}

/** The credential keyed for exactly this URL's host[:port], if any. */
export function credentialFor(url: URL, credentials: ChartCredentials | undefined): ChartCredential | undefined {
  return credentials?.get(hostKey(url));
}

/** An `Authorization` header value for a credential: Basic for a user and password, Bearer for a token. */
export function authorizationOf(credential: ChartCredential): string {
  return credential.kind === "token" ? `Bearer ${credential.token}` : `Basic ${basicValue(credential)}`;
}

function basicValue(c: { username: string; password: string }): string {
  return Buffer.from(`${c.username}:${c.password}`, "utf8").toString("base64");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** How a pull asks for credentials: `anonymous` (the source declares no authentication, as Flux's without `secretRef`) sends none. */
export interface PullAuth {
  credentials?: ChartCredentials;
  anonymous?: boolean;
}

/**
 * Why a 401 or 403 stopped a pull, naming the host and never a value: credentials were refused,
 * or none were sent (and why).
 */
export function refusedWhy(host: string, status: number, sent: boolean, anonymous: boolean): string {
  if (sent) return `${host} refused the operator's credentials for it (HTTP ${status})`;
  if (anonymous) return `${host} requires credentials (HTTP ${status}); none are sent because the source declares no authentication (spec.secretRef)`;
  return `${host} requires credentials (HTTP ${status}) and the operator's chart credentials have none for ${host}`;
}
