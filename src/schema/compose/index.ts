/** Validation of rendered Compose entries against the Compose Specification. */
export { createComposeValidator, validateCompose, type ComposeValidator, type ComposeValidatorOptions } from "./validator.js";
