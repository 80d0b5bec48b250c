/**
 * The Compose Specification schema (schemas/compose-spec.json, bundled at build time) and one
 * compiled validator per entry kind. Compiling the service definition is the costly part
 * (a few hundred milliseconds), so each kind is compiled on first use and kept for the
 * process: a run without Compose targets never pays for it.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import spec from "../../../schemas/compose-spec.json" with { type: "json" };

/** Compose resource kinds (see src/render/compose/renderer.ts) and their schema definitions. */
export const DEFINITION_OF_KIND: Readonly<Record<string, string>> = {
  Service: "service",
  Network: "network",
  Volume: "volume",
  Secret: "secret",
  Config: "config",
};

// ajv-formats is CommonJS: under NodeNext its plugin is the default export's `default`.
const addFormats = addFormatsModule.default;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The validator for a Compose kind, or undefined for a kind the specification does not define. */
export function composeSchemaFor(kind: string): ValidateFunction | undefined {
  const definition = DEFINITION_OF_KIND[kind];
  if (definition === undefined) return undefined;
  let validate = compiled.get(definition);
  if (validate) return validate;
  validate = instance().getSchema(`${spec.$id}#/$defs/${definition}`);
  if (!validate) throw new Error(`the bundled Compose schema has no definition "${definition}"`);
  compiled.set(definition, validate);
  return validate;
}

function instance(): Ajv2020 {
  if (ajv) return ajv;
  // verbose: errors carry the offending value and the schema around them, for messages.
  // strict off: the schema is third-party and uses annotations ajv's strict mode rejects.
  ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(spec);
  return ajv;
}
