/**
 * A Logger whose messages and fields go through the run's secret set before they reach the
 * log: fields carry error stacks and tool output, which may quote a secret. Fails closed: an
 * entry that cannot be scrubbed is replaced by a fixed warning.
 */
import type { Logger } from "../ports.js";
import { ScrubError, type SecretSet } from "./secret-set.js";

type Level = keyof Logger;

export function scrubbingLogger(logger: Logger, secrets: SecretSet): Logger {
  const emit = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    let clean: [string, Record<string, unknown> | undefined];
    try {
      clean = [secrets.scrub(message), fields ? secrets.scrubDeep(fields) : fields];
    } catch {
      logger.warn("log entry withheld", { level, reason: new ScrubError().message });
      return;
    }
    logger[level](...clean);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn") };
}
