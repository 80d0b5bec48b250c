/**
 * Second red team, Compose: which `.env` variables are secrets was decided on the raw text
 * (`text.includes("secrets")`), so a top-level key written with YAML escapes (`"\x73ecrets":`,
 * the key `secrets` to Compose) hid the secret source and its value showed in a neutral
 * variable's diff. Secret sources are now read from the parsed documents.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createComposeRenderer } from "../../src/render/compose/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";
import { runCli } from "../helpers/cli.js";
import { writeTree } from "../helpers/write-tree.js";

const CANARY = "SECRETCANARYComposeEscapedKey0001";
const ESCAPED = `services:
  web:
    image: nginx:1.27.0
    "\\x73ecrets": [db]
    environment:
      CONNECTION: "host=db user=app pw=\${DB_PW}"
"\\x73ecrets":
  db:
    environment: DB_PW
`;

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-compose-secrets-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});


const credentials = async (files: Record<string, string>, path = "shop") =>
  (await createComposeRenderer().inputs({ id: path, type: "compose", path }, memoryTree("m", files))).credentials ?? [];

describe("secret sources are read from the parsed Compose files", () => {
  it("an escaped top-level secrets: key makes its .env variable secret, and no output shows the value", async () => {
    const dir = await mkdtemp(join(work, "case-"));
    await writeTree(join(dir, "base"), { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" });
    await writeTree(join(dir, "head"), { "shop/compose.yaml": ESCAPED, "shop/.env": `DB_PW=${CANARY}\n` });
    for (const format of ["json", "markdown", "text"]) {
      const run = await runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", format]);
      expect(run.stdout).toContain("CONNECTION");
      expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);
    }
  });

  it("the value is known before rendering, even when the file it is declared in does not load", async () => {
    expect(await credentials({ "shop/compose.yaml": ESCAPED, "shop/.env": `DB_PW=${CANARY}\n` })).toContain(CANARY);
    // A required variable stops the normaliser on this file; the fallback parse still sees the source.
    const broken = `${ESCAPED}x-broken: \${MISSING?must be set}\n`;
    expect(await credentials({ "shop/compose.yaml": broken, "shop/.env": `DB_PW=${CANARY}\n` })).toContain(CANARY);
  });

  it("the source may come through an anchor, an interpolated name or a later COMPOSE_FILE file", async () => {
    const anchored = "x-s: &s\n  db:\n    environment: ${WHICH}\nservices:\n  web:\n    image: x\nsecrets: *s\n";
    expect(await credentials({ "shop/compose.yaml": anchored, "shop/.env": `WHICH=DB_PW\nDB_PW=${CANARY}\n` })).toContain(CANARY);
    const files = {
      "shop/.env": `COMPOSE_FILE=compose.yaml:more/secrets.yml\nDB_PW=${CANARY}\n`,
      "shop/compose.yaml": "services:\n  web:\n    image: x\n",
      "shop/more/secrets.yml": "secrets:\n  db:\n    environment: DB_PW\n",
    };
    expect(await credentials(files)).toContain(CANARY);
  });

  it(".env values are known as Compose decodes them (escapes, expansion), and secret files whatever their name", async () => {
    const files = {
      "shop/compose.yaml": "services:\n  web:\n    image: x\nsecrets:\n  db:\n    environment: DB_PW\n  f:\n    file: ./creds.yaml\n",
      "shop/.env": `PART=${CANARY}\nDB_PW="\${PART}\\nline2"\n`,
      "shop/creds.yaml": "token: SECRETCANARYSecretFileYaml0002\n",
    };
    const found = await credentials(files);
    expect(found).toContain(`${CANARY}\nline2`);
    expect(found).toContain("token: SECRETCANARYSecretFileYaml0002\n");
  });

  it("credential-named keys written with escapes are known from the parse", async () => {
    const files = { "shop/compose.yaml": 'services:\n  web:\n    image: x\n    environment:\n      "\\x50ASSWORD": SECRETCANARYEscapedName0003\n' };
    expect(await credentials(files)).toContain("SECRETCANARYEscapedName0003");
  });
});
