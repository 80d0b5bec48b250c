import { structuredPatch } from "diff";

/**
 * A unified diff without file headers (the change already names the resource). For an
 * added or removed resource, pass "" for the missing side: every line shows as + or -.
 */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const patch = structuredPatch("base", "head", before, after, "", "", { context });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith("\\")) continue; // "\ No newline at end of file"
      lines.push(line);
    }
  }
  return lines.join("\n");
}
