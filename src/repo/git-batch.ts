/**
 * One long-lived `git cat-file --batch` per snapshot: reading hundreds of small files
 * through it costs a pipe round trip each instead of a process each.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

interface Pending {
  id: string;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

export class GitBlobReader {
  private child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly queue: Pending[] = [];
  private failed: Error | undefined;

  constructor(private readonly repo: string) {}

  read(objectId: string): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ id: objectId, resolve, reject });
      child.stdin.write(`${objectId}\n`);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    child.stdin.end();
    await new Promise<void>((resolve) => {
      child.once("close", () => resolve());
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    });
  }

  private start(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.child) return this.child;
    const child = spawn("git", ["-C", this.repo, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "ignore"] });
    child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.drain();
    });
    const fail = (err: Error) => {
      this.failed = err;
      for (const p of this.queue.splice(0)) p.reject(err);
    };
    child.on("error", fail);
    child.on("close", () => {
      if (this.queue.length) fail(new Error("git cat-file ended early"));
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    return child;
  }

  /** Parses "<id> <type> <size>\n<bytes>\n" records (or "<id> missing\n") as they arrive. */
  private drain(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const eol = this.buffer.indexOf(10);
      if (eol === -1) return;
      const header = this.buffer.subarray(0, eol).toString("utf8");
      const parts = header.split(" ");
      if (parts[1] === "missing" || parts.length < 3) {
        this.queue.shift();
        this.buffer = this.buffer.subarray(eol + 1);
        head.reject(new Error(`git object ${head.id} is missing`));
        continue;
      }
      const size = Number(parts[2]);
      if (this.buffer.length < eol + 1 + size + 1) return;
      const body = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
      this.buffer = this.buffer.subarray(eol + 1 + size + 1);
      this.queue.shift();
      head.resolve(body);
    }
  }
}
