/**
 * The one test of "this name holds a credential", shared by the diff redactor, the secret
 * collector, schema messages and the built-in policies `no-plaintext-secrets-in-env` and
 * `compose-no-secrets-in-environment`. The policies are Kyverno YAML that must stay runnable
 * by Kyverno itself, so they carry the two patterns below as literals; a test
 * (test/security/secrets-names.test.ts) fails when they differ from these constants.
 *
 * The patterns are written for both JavaScript and Go's RE2 (Kyverno's `regex_match`): no
 * lookaround, no backreferences, no flags. Names are upper-cased before matching.
 */

/**
 * Words that name a credential wherever they stand (PGPASSWORD, CLIENTSECRET, GITHUB_TOKEN,
 * X-API-KEY, HTTP_AUTHORIZATION), and two short words only where a whole `_`/`-`/`.`-separated
 * part says it: PASS (`SMTP_PASS`, never `PASSENGER`) and PWD at the end (`DB_PWD`, never the
 * shell's `PWD`). AUTH alone is not one: `LEGACY_AUTH: "true"` and `AUTH_ENABLED` are switches;
 * an `Authorization`-style value is found by its `Bearer`/`Basic` scheme instead
 * (credential-values.ts).
 */
export const CREDENTIAL_NAME_PATTERN =
  "PASSWORD|PASSWD|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|ACCESS[_-]?KEY|CREDENTIAL|AUTHORIZATION|(^|[_.-])PASS([_.-]|$)|[_.-]PWD$";

/**
 * Names that point at a credential rather than hold one (`DB_PASSWORD_FILE`, `TOKEN_URL`) or
 * set something about it or count (`TOKEN_TTL`, `MIN_PASSWORD_LENGTH`, a model server's
 * `MAX_TOKENS` or `TOKENS_PER_MINUTE`). A list of credentials stays one: `API_TOKENS`.
 */
export const CREDENTIAL_POINTER_PATTERN = "[_-](FILE|PATH|DIR|NAME|REF|URL|URI|TTL|EXPIRY|LIFETIME|TIMEOUT|LENGTH)$|(^|[_-])(MAX|MIN|NUM)[_-]|[_-]PER[_-]";

const NAME = new RegExp(CREDENTIAL_NAME_PATTERN);
const POINTER = new RegExp(CREDENTIAL_POINTER_PATTERN);

/** True when the name says its value is a credential (and not where to find one). */
export function isCredentialName(name: string): boolean {
  const upper = name.toUpperCase();
  return NAME.test(upper) && !POINTER.test(upper);
}

/**
 * True when the name mentions a credential at all, pointers included: for messages, which lose
 * nothing by hiding `GITHUB_TOKEN_FILE`'s value too.
 */
export function mentionsCredential(name: string): boolean {
  return NAME.test(name.toUpperCase());
}
