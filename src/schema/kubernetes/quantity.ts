/**
 * k8s.io/apimachinery's resource.Quantity grammar. Must equal QUANTITY_PATTERN in
 * scripts/build-schemas.mjs (a test checks): issue messages recognise it to explain
 * "128MB" in words instead of printing the regular expression.
 */
export const QUANTITY_PATTERN =
  "^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))?$";
