/**
 * A failed tool's stderr as the reason a render failed. kubectl logs its error through klog
 * (`E1204 04:53:49.381643   11774 run.go:72] "command failed" err="no matches for Id …"`): a
 * timestamp and a process id that change on every run, around the one sentence that matters.
 * kustomize prints deprecation notices first (`# Warning: 'patchesStrategicMerge' is
 * deprecated…`), so the reason read as a warning. The error comes first, its klog frame
 * removed; the notices follow.
 */
const KLOG_LINE = /^[EWIF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] (.*)$/;
const KLOG_COMMAND_FAILED = /^"command failed" err="((?:[^"\\]|\\.)*)"$/;
const NOTICE = /^# Warning: /;

export function toolFailureMessage(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map(withoutKlogFrame);
  const notices = lines.filter((l) => NOTICE.test(l));
  const rest = lines.filter((l) => !NOTICE.test(l));
  const body = rest.join("\n").trim();
  if (body === "") return stderr.trim();
  return [body, ...notices].join("\n");
}

function withoutKlogFrame(line: string): string {
  const klog = KLOG_LINE.exec(line);
  if (!klog) return line;
  const failed = KLOG_COMMAND_FAILED.exec(klog[1]!);
  return failed ? unescapeGoQuoted(failed[1]!) : klog[1]!;
}

/** The text of a Go %q string's inside (klog quotes err values). */
function unescapeGoQuoted(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}
