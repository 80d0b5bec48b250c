/**
 * Secrets Shipshape must know before rendering, because a failed render or a neutral field
 * shows them: kustomize's "invalid literal source <literal>, expected key=value" prints a
 * generator literal that has no `=`, and a Compose value used under `secrets:` may be repeated
 * in a plain variable. Shipshape collects `secretGenerator:` literals and Compose `secrets:`
 * sources up front; these cases declare them where that collection does not look: a builtin
 * SecretGenerator plugin config inline in `generators:`, and keys spelled with a YAML escape
 * (`"\x73ecretGenerator":`, `"\x73ecrets":`, the same keys to every YAML reader), which a
 * quick text test ("does the file mention secretGenerator / secrets?") passes over. Case ids
 * and canaries avoid those words for that reason.
 */
import type { CliCase } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const COMPOSE = { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" };
const APP = { "app/kustomization.yaml": "resources:\n- cm.yaml\n", "app/cm.yaml": configMap("settings", { mode: "safe" }) };

export const secretKnownEarlyCases: CliCase[] = [
  {
    id: "secret-early/inline-plugin-literal",
    attack: "an inline builtin SecretGenerator in `generators:` whose literal has no `=` (kustomize's error quotes it)",
    targets: ["secret"],
    build: (host, id) => ({
      base: APP,
      head: {
        "app/kustomization.yaml": `resources:\n- cm.yaml\ngenerators:\n- |-\n  apiVersion: builtin\n  kind: SecretGenerator\n  metadata:\n    name: db\n  literals:\n  - ${host.secret(id)}\n`,
      },
    }),
  },
  {
    id: "secret-early/escaped-key-literal",
    attack: 'a `"\\x73ecretGenerator":` key (a YAML escape) whose literal has no `=`',
    targets: ["secret"],
    build: (host, id) => ({
      base: APP,
      head: { "app/kustomization.yaml": `resources:\n- cm.yaml\n"\\x73ecretGenerator":\n- name: db\n  literals:\n  - ${host.secret(id)}\n` },
    }),
  },
  {
    id: "secret-early/compose-escaped-key",
    attack: 'a Compose `"\\x73ecrets":` entry taking DB_PW from .env, and DB_PW repeated in a plain environment variable',
    targets: ["secret"],
    build: (host, id) => ({
      base: COMPOSE,
      head: {
        "shop/.env": `DB_PW=${host.secret(id)}\n`,
        "shop/compose.yaml":
          'services:\n  web:\n    image: nginx:1.27.0\n    "\\x73ecrets": [db]\n    environment:\n      CONNECTION: "host=db user=app pw=${DB_PW}"\n"\\x73ecrets":\n  db:\n    environment: DB_PW\n',
      },
    }),
  },
];
