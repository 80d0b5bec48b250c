// Measures `shipshape policy test` on the Kyverno policy library folders the team has not seen:
// every `*-cel` and `*-vpol` folder of a kyverno/policies checkout that is not in the shared
// conformance suite (../shared/conformance/kyverno), one line per folder (entries, evaluated,
// matching `kyverno test`, failed, unsupported) and the totals.
//
//   npm run build && node scripts/measure-kyverno-library.mjs <kyverno-policies-checkout> [--seen DIR] [--all]
//
// --all also measures the folders the team has seen. Nothing is downloaded: the checkout is yours.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const checkout = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--seen");
if (!checkout) {
  console.error("usage: node scripts/measure-kyverno-library.mjs <kyverno-policies-checkout> [--seen DIR] [--all]");
  process.exit(2);
}
const seenDir = args.includes("--seen") ? resolve(args[args.indexOf("--seen") + 1]) : resolve(root, "../shared/conformance/kyverno");
const seen = new Set(existsSync(seenDir) ? readdirSync(seenDir) : []);
const folders = readdirSync(checkout, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /-(cel|vpol)$/.test(d.name) && (args.includes("--all") || !seen.has(d.name)))
  .map((d) => d.name)
  .sort();

function measure(folder) {
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [join(root, "bin/shipshape.js"), "policy", "test", join(checkout, folder), "--format", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 });
  } catch (err) {
    stdout = err.stdout; // exit 1 on a mismatch still prints the report
  }
  const { summary: s } = JSON.parse(stdout);
  const evaluated = s.passed + s.failed + s.skipped;
  return { folder, entries: s.entries, evaluated, matching: s.passed + s.skipped, failed: s.failed, unsupported: s.unsupported };
}

const rows = folders.map(measure);
const pct = (a, b) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)} %`);
console.log(["folder", "entries", "evaluated", "matching", "failed", "unsupported"].join("\t"));
for (const r of rows) console.log([r.folder, r.entries, r.evaluated, r.matching, r.failed, r.unsupported].join("\t"));
const t = rows.reduce((a, r) => ({ entries: a.entries + r.entries, evaluated: a.evaluated + r.evaluated, matching: a.matching + r.matching, failed: a.failed + r.failed, unsupported: a.unsupported + r.unsupported }), { entries: 0, evaluated: 0, matching: 0, failed: 0, unsupported: 0 });
console.log(`total: ${rows.length} folders, ${t.entries} entries, ${t.evaluated} evaluated (${pct(t.evaluated, t.entries)}), ${t.matching} matching kyverno test (${pct(t.matching, t.evaluated)} of evaluated), ${t.unsupported} unsupported`);
