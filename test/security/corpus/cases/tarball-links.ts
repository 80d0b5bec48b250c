/**
 * Link targets given where the gate may not look: a pax extended header whose `linkpath`
 * overrides a harmless ustar link name with the host canary's absolute path, and a GNU
 * long-link-name (`K`) entry doing the same; each link is then read by a ConfigMapGenerator.
 * node-tar applies both before the entry is judged, so the gate must see the real target.
 */
import { paxRecords } from "../../../helpers/tarball.js";
import { tarCase, TOP } from "./tarballs.js";

const generator = "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: stolen\n  files:\n  - secret.txt\n";

export const tarballLinkCases = [
  tarCase("tarball/pax-linkpath-to-host-file", "a symlink app/secret.txt → cm.yaml whose pax header sets linkpath to the host canary", (host) => [
    { path: "PaxHeaders/secret", type: "pax", body: paxRecords({ linkpath: host.files.secretTxt }) },
    { path: `${TOP}/app/secret.txt`, type: "symlink", linkpath: "cm.yaml" },
    { path: `${TOP}/app/kustomization.yaml`, body: generator },
  ]),
  tarCase("tarball/gnu-long-linkname-to-host-file", "a GNU `K` entry naming the host canary as the next symlink's target", (host) => [
    { path: "././@LongLink", type: "K", body: `${host.files.secretTxt}\0` },
    { path: `${TOP}/app/secret.txt`, type: "symlink", linkpath: "cm.yaml" },
    { path: `${TOP}/app/kustomization.yaml`, body: generator },
  ]),
];
