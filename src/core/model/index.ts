export * from "./target.js";
export * from "./resource.js";
export * from "./change.js";
export * from "./finding.js";
export * from "./report.js";
export * from "./cost.js";
export * from "./risk.js";
export * from "./hooks.js";
