/**
 * The Pod Security Standards controls (kubernetes/pod-security-admission, latest), named as
 * Kyverno's `exclude.controlName` expects. Each check returns violations at pod level (no image)
 * or per container (with the container's image) so exclusions can be applied like Kyverno does.
 */
import type { Json } from "../model.js";

export interface PssViolation {
  control: string;
  message: string;
  /** Image of the offending container; undefined for pod-level fields. */
  image?: string;
  /** Dotted path inside the pod template. */
  path?: string;
}

type Check = (metadata: Json, spec: Json) => PssViolation[];

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown): Json {
  return isObj(v) ? v : {};
}

interface Container {
  c: Json;
  path: string;
  image: string;
}

function containers(spec: Json): Container[] {
  const out: Container[] = [];
  for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObj(c)) out.push({ c, path: `spec.${field}[${i}]`, image: String(c.image ?? "") });
    });
  }
  return out;
}

function sc(c: Json): Json {
  return obj(c.securityContext);
}

const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

function perContainer(control: string, test: (c: Container) => string | undefined): Check {
  return (_m, spec) =>
    containers(spec).flatMap((ct) => {
      const problem = test(ct);
      return problem ? [{ control, message: problem, image: ct.image, path: `${ct.path}.securityContext` }] : [];
    });
}

const hostProcess: Check = (_m, spec) => {
  const out: PssViolation[] = [];
  if (obj(obj(spec.securityContext).windowsOptions).hostProcess === true) out.push({ control: "HostProcess", message: "hostProcess is true", path: "spec.securityContext.windowsOptions.hostProcess" });
  for (const ct of containers(spec)) {
    if (obj(sc(ct.c).windowsOptions).hostProcess === true) out.push({ control: "HostProcess", message: "hostProcess is true", image: ct.image, path: `${ct.path}.securityContext` });
  }
  return out;
};

const hostNamespaces: Check = (_m, spec) =>
  ["hostNetwork", "hostPID", "hostIPC"].filter((f) => spec[f] === true).map((f) => ({ control: "Host Namespaces", message: `${f} is true`, path: `spec.${f}` }));

const privileged = perContainer("Privileged Containers", ({ c }) => (sc(c).privileged === true ? "privileged is true" : undefined));

const baselineCapabilities = perContainer("Capabilities", ({ c }) => {
  const add = obj(sc(c).capabilities).add;
  const bad = Array.isArray(add) ? add.map(String).filter((a) => !BASELINE_CAPABILITIES.has(a)) : [];
  return bad.length > 0 ? `non-default capabilities ${bad.join(", ")}` : undefined;
});

const hostPath: Check = (_m, spec) =>
  (Array.isArray(spec.volumes) ? spec.volumes : []).flatMap((v, i) => (isObj(v) && v.hostPath !== undefined ? [{ control: "HostPath Volumes", message: `hostPath volume ${String(v.name ?? i)}`, path: `spec.volumes[${i}]` }] : []));

const hostPorts = perContainer("Host Ports", ({ c }) => {
  const ports = Array.isArray(c.ports) ? c.ports : [];
  const bad = ports.filter((p) => isObj(p) && p.hostPort !== undefined && p.hostPort !== 0).map((p) => String((p as Json).hostPort));
  return bad.length > 0 ? `hostPort ${bad.join(", ")}` : undefined;
});

const appArmor: Check = (metadata, spec) => {
  const out: PssViolation[] = [];
  for (const [k, v] of Object.entries(obj(metadata.annotations))) {
    if (!k.startsWith("container.apparmor.security.beta.kubernetes.io/")) continue;
    const value = String(v);
    if (value !== "runtime/default" && !value.startsWith("localhost/")) out.push({ control: "AppArmor", message: `annotation ${k}=${value}`, path: "metadata.annotations" });
  }
  const badType = (p: unknown) => isObj(p) && p.type !== undefined && p.type !== "RuntimeDefault" && p.type !== "Localhost";
  if (badType(obj(spec.securityContext).appArmorProfile)) out.push({ control: "AppArmor", message: "appArmorProfile type is not allowed", path: "spec.securityContext.appArmorProfile" });
  for (const ct of containers(spec)) if (badType(sc(ct.c).appArmorProfile)) out.push({ control: "AppArmor", message: "appArmorProfile type is not allowed", image: ct.image, path: `${ct.path}.securityContext` });
  return out;
};

function seLinuxProblem(opts: unknown): string | undefined {
  if (!isObj(opts)) return undefined;
  if (opts.type !== undefined && !SELINUX_TYPES.has(String(opts.type))) return `seLinuxOptions.type ${String(opts.type)}`;
  if (opts.user !== undefined || opts.role !== undefined) return "seLinuxOptions.user/role set";
  return undefined;
}

const seLinux: Check = (_m, spec) => {
  const out: PssViolation[] = [];
  const pod = seLinuxProblem(obj(spec.securityContext).seLinuxOptions);
  if (pod) out.push({ control: "SELinux", message: pod, path: "spec.securityContext.seLinuxOptions" });
  for (const ct of containers(spec)) {
    const p = seLinuxProblem(sc(ct.c).seLinuxOptions);
    if (p) out.push({ control: "SELinux", message: p, image: ct.image, path: `${ct.path}.securityContext` });
  }
  return out;
};

const procMount = perContainer("/proc Mount Type", ({ c }) => (sc(c).procMount !== undefined && sc(c).procMount !== "Default" ? `procMount ${String(sc(c).procMount)}` : undefined));

function seccomp(restricted: boolean): Check {
  return (_m, spec) => {
    const out: PssViolation[] = [];
    const podType = obj(obj(spec.securityContext).seccompProfile).type;
    const allowed = (t: unknown) => t === "RuntimeDefault" || t === "Localhost";
    if (podType !== undefined && (restricted ? !allowed(podType) : podType === "Unconfined")) out.push({ control: "Seccomp", message: `pod seccompProfile.type ${String(podType)}`, path: "spec.securityContext.seccompProfile" });
    for (const ct of containers(spec)) {
      const t = obj(sc(ct.c).seccompProfile).type;
      if (t === undefined) {
        if (restricted && podType === undefined) out.push({ control: "Seccomp", message: "seccompProfile is not set", image: ct.image, path: `${ct.path}.securityContext` });
      } else if (restricted ? !allowed(t) : t === "Unconfined") out.push({ control: "Seccomp", message: `seccompProfile.type ${String(t)}`, image: ct.image, path: `${ct.path}.securityContext` });
    }
    return out;
  };
}

const sysctls: Check = (_m, spec) => {
  const list = obj(spec.securityContext).sysctls;
  const bad = (Array.isArray(list) ? list : []).map((s) => String(obj(s).name ?? "")).filter((n) => !SAFE_SYSCTLS.has(n));
  return bad.length > 0 ? [{ control: "Sysctls", message: `unsafe sysctls ${bad.join(", ")}`, path: "spec.securityContext.sysctls" }] : [];
};

const volumeTypes: Check = (_m, spec) =>
  (Array.isArray(spec.volumes) ? spec.volumes : []).flatMap((v, i) => {
    const bad = Object.keys(obj(v)).filter((k) => k !== "name" && !RESTRICTED_VOLUMES.has(k));
    return bad.length > 0 ? [{ control: "Volume Types", message: `volume type ${bad.join(", ")}`, path: `spec.volumes[${i}]` }] : [];
  });

const privilegeEscalation = perContainer("Privilege Escalation", ({ c }) => (sc(c).allowPrivilegeEscalation !== false ? "allowPrivilegeEscalation is not false" : undefined));

const runAsNonRoot: Check = (_m, spec) => {
  const podValue = obj(spec.securityContext).runAsNonRoot;
  const out: PssViolation[] = [];
  if (podValue === false) out.push({ control: "Running as Non-root", message: "runAsNonRoot is false", path: "spec.securityContext.runAsNonRoot" });
  for (const ct of containers(spec)) {
    const v = sc(ct.c).runAsNonRoot;
    if (v === false || (v === undefined && podValue !== true)) out.push({ control: "Running as Non-root", message: "runAsNonRoot is not true", image: ct.image, path: `${ct.path}.securityContext` });
  }
  return out;
};

const runAsUser: Check = (_m, spec) => {
  const out: PssViolation[] = [];
  if (obj(spec.securityContext).runAsUser === 0) out.push({ control: "Running as Non-root user", message: "runAsUser is 0", path: "spec.securityContext.runAsUser" });
  for (const ct of containers(spec)) if (sc(ct.c).runAsUser === 0) out.push({ control: "Running as Non-root user", message: "runAsUser is 0", image: ct.image, path: `${ct.path}.securityContext` });
  return out;
};

const restrictedCapabilities = perContainer("Capabilities", ({ c }) => {
  const caps = obj(sc(c).capabilities);
  const drop = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
  const add = Array.isArray(caps.add) ? caps.add.map(String).filter((a) => a !== "NET_BIND_SERVICE") : [];
  if (!drop.includes("ALL")) return "capabilities.drop must include ALL";
  return add.length > 0 ? `capabilities.add ${add.join(", ")}` : undefined;
});

const BASELINE: Check[] = [hostProcess, hostNamespaces, privileged, baselineCapabilities, hostPath, hostPorts, appArmor, seLinux, procMount, seccomp(false), sysctls];
const RESTRICTED: Check[] = [...BASELINE.filter((c) => c !== baselineCapabilities), baselineCapabilities, volumeTypes, privilegeEscalation, runAsNonRoot, runAsUser, seccomp(true), restrictedCapabilities];

export function checksFor(level: "baseline" | "restricted"): readonly Check[] {
  return level === "baseline" ? BASELINE : RESTRICTED;
}
