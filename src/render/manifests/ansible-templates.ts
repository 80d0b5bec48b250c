/**
 * An Ansible role's `templates/` folder holds Jinja templates that Ansible renders before
 * anything applies them (khuedoan/homelab's `metal/roles/cilium/templates`): kubectl never reads
 * them as written. Where such a file does not parse because of its Jinja, the folder is not
 * reviewed — said with a warning (the target is "skipped", its files "not reviewed"), not failed
 * with an error on every pull request that edits a template. Only in a role's templates folder
 * and only for Jinja syntax: anywhere else, and for any other YAML error, a file that cannot be
 * read stays an error, because kubectl would apply what it could read of it.
 */
import type { InputProblem } from "../../core/ports.js";

const ROLE_TEMPLATES = /(?:^|\/)roles\/[^/]+\/templates$/;
/** A Jinja statement or comment, or an expression where YAML would start a flow mapping. */
const JINJA_LINE = /^[ \t]*(?:-[ \t]+)?(?:\{[%#]|[^#\n]*:[ \t]+\{\{)|\{%-?[ \t]/m;

export function isRoleTemplatesFolder(folder: string): boolean {
  return ROLE_TEMPLATES.test(folder);
}

export function holdsJinja(text: string): boolean {
  return JINJA_LINE.test(text);
}

export function roleTemplatesProblem(folder: string, files: readonly string[]): InputProblem {
  return {
    ruleId: "render/foreign-template",
    severity: "warning",
    message: `${folder} is an Ansible role's templates folder and ${files.join(", ")} ${files.length === 1 ? "is a Jinja template" : "are Jinja templates"} that Ansible renders first: the folder is not reviewed as manifests`,
    ...(files[0] ? { file: files[0] } : {}),
  };
}
