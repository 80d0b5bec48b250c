/**
 * Docker Compose reads its own settings from the project's `.env` too: `COMPOSE_PROFILES`
 * activates profiles and `COMPOSE_FILE` lists the Compose files to merge (documented under
 * "pre-defined environment variables", settable in `.env`). `docker compose up` in the project
 * folder then runs what these name; the report must show it (or say loudly why it does not).
 */
import type { CliCase } from "../harness/cli.js";
import { flagsPrivileged } from "./fixtures.js";

const COMPOSE = { "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n" };

export const composeDotenvCases: CliCase[] = [
  {
    id: "compose-env/profiles-from-dotenv",
    attack: "`.env` sets COMPOSE_PROFILES=debug; a `debug`-profile service is privileged on the host network",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: COMPOSE,
      head: {
        "shop/.env": "COMPOSE_PROFILES=debug\n",
        "shop/compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n  debugger:\n    image: busybox:1.36.1\n    profiles: [debug]\n    privileged: true\n    network_mode: host\n",
      },
      hidden: flagsPrivileged(true),
    }),
  },
  {
    id: "compose-env/compose-file-from-dotenv",
    attack: "`.env` sets COMPOSE_FILE=compose.yaml:ops.yaml; ops.yaml makes `web` privileged on the host network",
    targets: ["visible"],
    build: () => ({
      keepBase: true,
      base: COMPOSE,
      head: { "shop/.env": "COMPOSE_FILE=compose.yaml:ops.yaml\n", "shop/ops.yaml": "services:\n  web:\n    privileged: true\n    network_mode: host\n" },
      hidden: flagsPrivileged(true),
    }),
  },
];
