import { describe, expect, it } from "vitest";
import { codeSpan, helpText, invalidCommandReply, unknownCommandReply } from "../../src/github/commands/help.js";
import { MAX_COMMANDS, parseComment, parseCommands, type CommandResult } from "../../src/github/commands/parse.js";
import { editDistance, suggest } from "../../src/github/commands/suggest.js";

const opts = { appSlug: "shipshape" };

/** The fields every result has, for a command on line `line`. */
function at(line: number, text: string, trigger: "slash" | "mention" = "slash") {
  return { line, text, trigger };
}

describe("parseCommands: one command line", () => {
  const cases: { body: string; want: CommandResult[] }[] = [
    { body: "/shipshape approve", want: [{ kind: "command", command: { name: "approve" }, ...at(1, "/shipshape approve") }] },
    {
      body: "/shipshape approve checked the PVC resize with @alice",
      want: [{ kind: "command", command: { name: "approve", reason: "checked the PVC resize with @alice" }, ...at(1, "/shipshape approve checked the PVC resize with @alice") }],
    },
    { body: "@shipshape approve", want: [{ kind: "command", command: { name: "approve" }, ...at(1, "@shipshape approve", "mention") }] },
    { body: "@Shipshape[bot] recheck", want: [{ kind: "command", command: { name: "recheck" }, ...at(1, "@Shipshape[bot] recheck", "mention") }] },
    { body: "@SHIPSHAPE HELP", want: [{ kind: "command", command: { name: "help" }, ...at(1, "@SHIPSHAPE HELP", "mention") }] },
    { body: "/ShipShape ReCheck", want: [{ kind: "command", command: { name: "recheck" }, ...at(1, "/ShipShape ReCheck") }] },
    { body: "/shipshape", want: [{ kind: "command", command: { name: "help" }, ...at(1, "/shipshape") }] },
    { body: "@shipshape[bot]   ", want: [{ kind: "command", command: { name: "help" }, ...at(1, "@shipshape[bot]   ", "mention") }] },
    { body: "/shipshape help me please", want: [{ kind: "command", command: { name: "help" }, ...at(1, "/shipshape help me please") }] },
    { body: "   /shipshape\trecheck", want: [{ kind: "command", command: { name: "recheck" }, ...at(1, "   /shipshape\trecheck") }] },
    { body: "Thanks!\n/shipshape recheck", want: [{ kind: "command", command: { name: "recheck" }, ...at(2, "/shipshape recheck") }] },
    {
      body: "/shipshape approve <!-- not shown: rubber stamp -->",
      want: [{ kind: "command", command: { name: "approve" }, ...at(1, "/shipshape approve <!-- not shown: rubber stamp -->") }],
    },
    {
      body: "/shipshape recheck now",
      want: [{ kind: "invalid", name: "recheck", message: "no arguments expected", usage: "recheck", ...at(1, "/shipshape recheck now") }],
    },
    {
      body: "/shipshape waive schema/invalid the CRD is applied out of band",
      want: [
        {
          kind: "command",
          command: { name: "waive", rule: "schema/invalid", reason: "the CRD is applied out of band" },
          ...at(1, "/shipshape waive schema/invalid the CRD is applied out of band"),
        },
      ],
    },
    {
      body: "/shipshape waive policy/disallow-latest-tag/validate-image-tag   pinned by digest in prod",
      want: [
        {
          kind: "command",
          command: { name: "waive", rule: "policy/disallow-latest-tag/validate-image-tag", reason: "pinned by digest in prod" },
          ...at(1, "/shipshape waive policy/disallow-latest-tag/validate-image-tag   pinned by digest in prod"),
        },
      ],
    },
    {
      body: "/shipshape waive the CRD is applied   out of band",
      want: [{ kind: "command", command: { name: "waive", reason: "the CRD is applied   out of band" }, ...at(1, "/shipshape waive the CRD is applied   out of band") }],
    },
    {
      body: "/shipshape waive 0123456789AB false positive",
      want: [{ kind: "command", command: { name: "waive", rule: "0123456789ab", reason: "false positive" }, ...at(1, "/shipshape waive 0123456789AB false positive") }],
    },
    {
      body: "/shipshape waive `api/removed`: migrated in the next release",
      want: [{ kind: "command", command: { name: "waive", rule: "api/removed", reason: "migrated in the next release" }, ...at(1, "/shipshape waive `api/removed`: migrated in the next release") }],
    },
    {
      body: "/shipshape waive 0123456789abc is not an id",
      want: [{ kind: "command", command: { name: "waive", reason: "0123456789abc is not an id" }, ...at(1, "/shipshape waive 0123456789abc is not an id") }],
    },
    {
      body: "/shipshape waive policy/disallow-latest-tag/validate-image-tag",
      want: [
        {
          kind: "invalid",
          name: "waive",
          message: "a waiver needs a reason",
          usage: "waive [rule] <reason…>",
          ...at(1, "/shipshape waive policy/disallow-latest-tag/validate-image-tag"),
        },
      ],
    },
    { body: "/shipshape waive", want: [{ kind: "invalid", name: "waive", message: "a waiver needs a reason", usage: "waive [rule] <reason…>", ...at(1, "/shipshape waive") }] },
    { body: "/shipshape unwaive", want: [{ kind: "command", command: { name: "unwaive" }, ...at(1, "/shipshape unwaive") }] },
    { body: "/shipshape unwaive api/removed", want: [{ kind: "command", command: { name: "unwaive", rule: "api/removed" }, ...at(1, "/shipshape unwaive api/removed") }] },
    {
      body: "/shipshape unwaive please",
      want: [
        {
          kind: "invalid",
          name: "unwaive",
          message: "expected at most one argument: a rule id (such as `schema/invalid`) or a 12-character finding id",
          usage: "unwaive [rule]",
          ...at(1, "/shipshape unwaive please"),
        },
      ],
    },
    { body: "/shipshape explain", want: [{ kind: "command", command: { name: "explain" }, ...at(1, "/shipshape explain") }] },
    { body: "/shipshape explain 0123456789ab", want: [{ kind: "command", command: { name: "explain", rule: "0123456789ab" }, ...at(1, "/shipshape explain 0123456789ab") }] },
    {
      body: "/shipshape explain schema/invalid schema/type",
      want: [
        {
          kind: "invalid",
          name: "explain",
          message: "expected at most one argument: a rule id (such as `schema/invalid`) or a 12-character finding id",
          usage: "explain [rule]",
          ...at(1, "/shipshape explain schema/invalid schema/type"),
        },
      ],
    },
    {
      body: `/shipshape approve ${"x".repeat(501)}`,
      want: [{ kind: "invalid", name: "approve", message: "a reason can be at most 500 characters", usage: "approve [reason…]", ...at(1, `/shipshape approve ${"x".repeat(501)}`) }],
    },
    { body: "/shipshape aprove", want: [{ kind: "unknown", word: "aprove", suggestion: "approve", ...at(1, "/shipshape aprove") }] },
    { body: "/shipshape wave flaky rule", want: [{ kind: "unknown", word: "wave", suggestion: "waive", ...at(1, "/shipshape wave flaky rule") }] },
    { body: "/shipshape Rechek", want: [{ kind: "unknown", word: "Rechek", suggestion: "recheck", ...at(1, "/shipshape Rechek") }] },
    { body: "/shipshape app", want: [{ kind: "unknown", word: "app", suggestion: "approve", ...at(1, "/shipshape app") }] },
    { body: "/shipshape un", want: [{ kind: "unknown", word: "un", suggestion: "unwaive", ...at(1, "/shipshape un") }] },
    { body: "/shipshape deploy", want: [{ kind: "unknown", word: "deploy", ...at(1, "/shipshape deploy") }] },
    { body: "@shipshape is this safe?", want: [{ kind: "unknown", word: "is", ...at(1, "@shipshape is this safe?", "mention") }] },
    { body: "/shipshapeapprove", want: [] },
    { body: "/shipshape-approve", want: [] },
    { body: "@shipshapes approve", want: [] },
    { body: "@other approve", want: [] },
    { body: "shipshape approve", want: [] },
    { body: "Please /shipshape approve", want: [] },
    { body: "- /shipshape approve", want: [] },
    { body: "    /shipshape approve", want: [] },
    { body: "\t/shipshape approve", want: [] },
    { body: "", want: [] },
  ];
  it.each(cases)("$body", ({ body, want }) => {
    expect(parseCommands(body, opts)).toEqual(want);
  });
});

describe("parseCommands: only lines a reader sees as the author's own text", () => {
  /** Each body holds commands on the lines listed; the others are quoted, code or hidden. */
  const cases: { name: string; body: string; lines: number[] }[] = [
    { name: "backtick fence", body: "```\n/shipshape approve\n```\n/shipshape recheck", lines: [4] },
    { name: "fence with info string", body: "```bash\n/shipshape approve\n```", lines: [] },
    { name: "indented fence", body: "  ```\n/shipshape approve\n  ```\n/shipshape recheck", lines: [4] },
    { name: "tilde fence not closed by a shorter one", body: "~~~~\n~~~\n/shipshape approve\n~~~~\n/shipshape recheck", lines: [5] },
    { name: "backtick fence not closed by tildes", body: "```\n~~~\n/shipshape approve\n```\n/shipshape recheck", lines: [5] },
    { name: "longer closing fence", body: "```\n/shipshape approve\n`````\n/shipshape recheck", lines: [4] },
    { name: "closing fence with text is no closing fence", body: "```\n``` x\n/shipshape approve\n```\n/shipshape recheck", lines: [5] },
    { name: "unclosed fence runs to the end", body: "```\n/shipshape approve\n\n/shipshape recheck", lines: [] },
    { name: "backtick in the info string: inline code, not a fence", body: "``` x ` y\n/shipshape approve", lines: [2] },
    { name: "indented code block", body: "Example:\n\n    /shipshape approve\n\n/shipshape recheck", lines: [5] },
    { name: "block quote", body: "> /shipshape approve\n\n/shipshape recheck", lines: [3] },
    { name: "nested quote", body: "> > /shipshape approve\n>\n/shipshape recheck", lines: [3] },
    { name: "lazy continuation of a quoted paragraph", body: "> can you approve?\n/shipshape approve", lines: [] },
    { name: "after a quote and a blank line", body: "> can you approve?\n\n/shipshape approve", lines: [3] },
    { name: "after an empty quote line", body: ">\n/shipshape approve", lines: [2] },
    { name: "after a fence inside a quote", body: "> ```\n/shipshape approve", lines: [2] },
    { name: "one-line HTML comment", body: "<!-- /shipshape approve -->\n/shipshape recheck", lines: [2] },
    { name: "multi-line HTML comment", body: "<!--\n/shipshape approve\n-->\n/shipshape recheck", lines: [4] },
    { name: "comment opened mid-line", body: "Note <!-- hidden\n/shipshape approve\n--> /shipshape waive x\n/shipshape recheck", lines: [4] },
    { name: "comment opened after a command", body: "/shipshape recheck <!--\n/shipshape approve\n-->", lines: [1] },
    { name: "HTML comment in a fence is literal", body: "```\n<!--\n```\n/shipshape recheck", lines: [4] },
    { name: "CRLF line ends", body: "hi\r\n/shipshape approve\r\n\r\n/shipshape recheck\r\n", lines: [2, 4] },
    { name: "several commands", body: "/shipshape approve\nsome words\n@shipshape recheck\n\n/shipshape help", lines: [1, 3, 5] },
  ];
  it.each(cases)("$name", ({ body, lines }) => {
    expect(parseCommands(body, opts).map((r) => r.line)).toEqual(lines);
  });

  it("gives the line without its CR", () => {
    expect(parseCommands("hi\r\n/shipshape approve\r\n", opts)[0]?.text).toBe("/shipshape approve");
  });
});

describe("parseCommands: the app slug", () => {
  const cases: { appSlug: string; body: string; names: string[] }[] = [
    { appSlug: "@shipshape-acme[bot]", body: "@shipshape-acme approve", names: ["approve"] },
    { appSlug: "shipshape-acme", body: "@shipshape-acme[bot] approve", names: ["approve"] },
    { appSlug: "shipshape-acme", body: "@shipshape approve", names: [] },
    { appSlug: "shipshape-acme", body: "/shipshape approve", names: ["approve"] },
    { appSlug: "a.b", body: "@axb approve", names: [] },
    { appSlug: "a.b", body: "@A.B approve", names: ["approve"] },
    { appSlug: "", body: "@ approve\n@shipshape approve\n/shipshape recheck", names: ["recheck"] },
  ];
  it.each(cases)("$appSlug: $body", ({ appSlug, body, names }) => {
    expect(parseCommands(body, { appSlug }).map((r) => (r.kind === "command" ? r.command.name : r.kind))).toEqual(names);
  });
});

describe("parseComment: bounds", () => {
  it("keeps the first ten commands and counts the rest", () => {
    const body = Array.from({ length: 12 }, (_, i) => `/shipshape approve ${i + 1}`).join("\n");
    const parsed = parseComment(body, opts);
    expect(MAX_COMMANDS).toBe(10);
    expect(parsed.results.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parsed.ignored).toBe(2);
    expect(parsed.truncated).toBe(false);
    expect(parseCommands(body, opts)).toHaveLength(10);
  });

  it("counts unknown and invalid command lines towards the ten", () => {
    const body = [...Array.from({ length: 10 }, () => "/shipshape nope"), "/shipshape approve"].join("\n");
    const parsed = parseComment(body, opts);
    expect(parsed.results.every((r) => r.kind === "unknown")).toBe(true);
    expect(parsed.ignored).toBe(1);
  });

  it("reads only the first 65,536 characters", () => {
    const body = `/shipshape approve\n${"x".repeat(70_000)}\n/shipshape recheck`;
    const parsed = parseComment(body, opts);
    expect(parsed.results.map((r) => r.line)).toEqual([1]);
    expect(parsed.truncated).toBe(true);
  });

  it("drops a command line cut by the bound rather than misread it", () => {
    const body = `${"a".repeat(65_520)}\n/shipshape waive schema/invalid because of reasons`;
    expect(body.length).toBeGreaterThan(65_536);
    expect(parseComment(body, opts)).toEqual({ results: [], ignored: 0, truncated: true });
  });

  it("never throws on input that is not a string", () => {
    expect(parseCommands(undefined as unknown as string, opts)).toEqual([]);
    expect(parseCommands("/shipshape approve", undefined as unknown as { appSlug: string })).toHaveLength(1);
  });
});

describe("suggest", () => {
  const distances: [string, string, number][] = [
    ["approve", "approve", 0],
    ["aprove", "approve", 1],
    ["aprpove", "approve", 1],
    ["wave", "waive", 1],
    ["", "abc", 3],
    ["abc", "", 3],
    // Optimal string alignment, not unrestricted Damerau-Levenshtein (which gives 2).
    ["ca", "abc", 3],
  ];
  it.each(distances)("editDistance(%s, %s) = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  const names = ["help", "recheck", "approve", "waive", "unwaive", "explain"];
  const suggestions: [string, string | undefined][] = [
    ["aprove", "approve"],
    ["APPROVED", "approve"],
    ["waiver", "waive"],
    ["unwave", "unwaive"],
    ["hlp", "help"],
    ["recheck!", "recheck"],
    ["ex", "explain"],
    ["ok", undefined],
    ["a", undefined],
    ["merge", undefined],
    ["x".repeat(40), undefined],
  ];
  it.each(suggestions)("%s → %s", (word, want) => {
    expect(suggest(word, names)).toBe(want);
  });
});

describe("replies", () => {
  it("lists every command on a line of its own, and says where and who", () => {
    const help = helpText("shipshape");
    expect(help.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      "- `/shipshape help`: shows this list.",
      "- `/shipshape recheck`: runs the review again on the pull request's current head.",
      "- `/shipshape approve [reason…]`: approves the risky changes of the current head; pushing a change to one of them asks for approval again.",
      "- `/shipshape waive [rule] <reason…>`: accepts a finding, with the reason why: it stays in the report, marked waived, and no longer fails the check. In a reply to a review comment the rule defaults to that comment's finding.",
      "- `/shipshape unwaive [rule]`: removes a waiver made with `waive`.",
      "- `/shipshape explain [rule]`: explains a rule (or the finding of the review comment you reply to) and how to fix it.",
    ]);
    expect(help).toContain("`/shipshape <command>` or `@shipshape <command>`");
    expect(help).toContain("in a comment on the pull request or in a reply to one of Shipshape's review comments");
    expect(help).toContain("`approve` counts only from people allowed to approve");
    expect(help).toContain("`waive` and `unwaive` need write access to the repository or a place in `policies.owners`");
  });

  it("names the app as configured", () => {
    expect(helpText("@acme-shipshape[bot]")).toContain("`@acme-shipshape <command>`");
  });

  it("answers an unknown command with a suggestion and the help", () => {
    const [result] = parseCommands("/shipshape aprove", opts);
    if (result?.kind !== "unknown") throw new Error("expected an unknown command");
    expect(unknownCommandReply(result, "shipshape")).toBe(`Unknown command \`aprove\`. Did you mean \`approve\`?\n\n${helpText("shipshape")}`);
  });

  it("answers an unknown command without a suggestion", () => {
    const [result] = parseCommands("@shipshape deploy", opts);
    if (result?.kind !== "unknown") throw new Error("expected an unknown command");
    expect(unknownCommandReply(result, "shipshape").split("\n")[0]).toBe("Unknown command `deploy`.");
  });

  it("quotes the user's word safely and briefly", () => {
    const [ticks] = parseCommands("/shipshape a`b", opts);
    const [long] = parseCommands(`/shipshape ${"y".repeat(60)}`, opts);
    if (ticks?.kind !== "unknown" || long?.kind !== "unknown") throw new Error("expected unknown commands");
    expect(unknownCommandReply(ticks, "shipshape").split("\n")[0]).toBe("Unknown command ``a`b``.");
    expect(unknownCommandReply(long, "shipshape").split("\n")[0]).toBe(`Unknown command \`${"y".repeat(40)}…\`.`);
  });

  it("answers an invalid command with its usage", () => {
    const [result] = parseCommands("/shipshape waive", opts);
    if (result?.kind !== "invalid") throw new Error("expected an invalid command");
    expect(invalidCommandReply(result)).toBe("`waive`: a waiver needs a reason.\n\nUsage: `/shipshape waive [rule] <reason…>`\n");
  });

  const spans: [string, string][] = [
    ["plain", "`plain`"],
    ["a`b", "``a`b``"],
    ["`x", "`` `x ``"],
    ["a``b", "```a``b```"],
  ];
  it.each(spans)("codeSpan(%s) = %s", (text, want) => {
    expect(codeSpan(text)).toBe(want);
  });
});
