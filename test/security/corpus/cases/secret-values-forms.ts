/**
 * Credentials in a Helm values file under keys that do not say so (`database.url`, `args`,
 * `header`), in the forms the diff redactor recognises inside any string: a URL's password,
 * a `--db-password=` argument, an `Authorization: Bearer` value. Shipshape collects values
 * before rendering only under credential-named keys, so when the chart fails and helm's error
 * quotes them, nothing in the run's secret set covers them.
 */
import type { CliCase } from "../harness/cli.js";
import { chart } from "./fixtures.js";

export const secretValueFormCases: CliCase[] = [
  {
    id: "secret-values/plain-keys-quoted-by-failing-chart",
    attack: "values.yaml holds postgres://app:<pw>@db, --db-password=<pw> and `Authorization: Bearer <token>` under plain keys; a template `fail`s quoting them",
    targets: ["secret"],
    build: (host, id) => {
      const values = [
        `database:\n  url: postgres://app:${host.secret(id, "URL")}@db:5432/shop`,
        `args: "--db-password=${host.secret(id, "ARG")} --verbose"`,
        `header: "Authorization: Bearer ${host.secret(id, "BEARER")}.x1"`,
        "",
      ].join("\n");
      const fail = '{{ fail (printf "cannot reach %s (%s; %s)" .Values.database.url .Values.args .Values.header) }}\n';
      return { head: chart("web", "web", { "check.yaml": fail }, values) };
    },
  },
  {
    id: "secret-values/plain-key-quoted-by-failing-base-only",
    attack: "only the base's chart fails quoting a URL password under a plain key; the head drops the value and renders",
    targets: ["secret"],
    build: (host, id) => {
      const cm = { "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n" };
      const fail = '{{ fail (printf "cannot reach %s" .Values.database.url) }}\n';
      return {
        base: chart("web", "web", { ...cm, "check.yaml": fail }, `database:\n  url: postgres://app:${host.secret(id)}@db:5432/shop\n`),
        keepBase: true,
        head: { ...chart("web", "web", cm, "{}\n"), "web/templates/check.yaml": null },
      };
    },
  },
];
