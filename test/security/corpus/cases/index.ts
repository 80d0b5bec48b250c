/** Every CLI case of the corpus, in the order they are reported. */
import type { CliCase } from "../harness/cli.js";
import { argvCases } from "./argv.js";
import { netCases } from "./net.js";
import { readCases } from "./read.js";
import { secretCases } from "./secrets.js";
import { sourceCases } from "./sources.js";
import { writeCases } from "./write.js";
import { yamlCases } from "./yaml.js";

export const CLI_CASES: CliCase[] = [...argvCases, ...readCases, ...netCases, ...writeCases, ...sourceCases, ...secretCases, ...yamlCases];
