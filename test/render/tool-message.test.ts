import { describe, expect, it } from "vitest";
import { toolFailureMessage } from "../../src/render/tool-message.js";

describe("a failed tool's message", () => {
  it("puts kubectl's error first, without klog's timestamp and process id, and kustomize's notices after it", () => {
    // rancher/fleet-examples' helm-kustomize overlays, as kubectl 1.32 printed them.
    const stderr =
      "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n" +
      'E1204 04:53:49.381643   11774 run.go:72] "command failed" err="no matches for Id Deployment.v1.apps/redis-slave.[noNs]; failed to find unique target for patch Deployment.v1.apps/redis-slave.[noNs]"\n';
    expect(toolFailureMessage(stderr)).toBe(
      "no matches for Id Deployment.v1.apps/redis-slave.[noNs]; failed to find unique target for patch Deployment.v1.apps/redis-slave.[noNs]\n" +
        "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    );
  });

  it("unquotes a quoted error, keeps other klog lines' text, and leaves other tools' output as it is", () => {
    expect(toolFailureMessage('E0101 00:00:00.000001       1 run.go:72] "command failed" err="a \\"quoted\\" name"')).toBe('a "quoted" name');
    expect(toolFailureMessage("W0101 00:00:00.000001       1 warnings.go:70] something odd")).toBe("something odd");
    expect(toolFailureMessage("Error: INSTALLATION FAILED: x\n")).toBe("Error: INSTALLATION FAILED: x");
    expect(toolFailureMessage("# Warning: only a notice\n")).toBe("# Warning: only a notice");
  });
});
