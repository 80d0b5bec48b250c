/**
 * A Logger whose messages and fields go through the run's secret set before they reach the
 * log: fields carry error stacks and tool output, which may quote a secret.
 */
import type { Logger } from "../ports.js";
import type { SecretSet } from "./secret-set.js";

export function scrubbingLogger(logger: Logger, secrets: SecretSet): Logger {
  const clean = (fields: Record<string, unknown> | undefined) => (fields ? secrets.scrubDeep(fields) : fields);
  return {
    debug: (message, fields) => logger.debug(secrets.scrub(message), clean(fields)),
    info: (message, fields) => logger.info(secrets.scrub(message), clean(fields)),
    warn: (message, fields) => logger.warn(secrets.scrub(message), clean(fields)),
  };
}
