import { rmSync } from "node:fs";
import { readStack, stackFile } from "./stack-file";

export default async function globalTeardown() {
  // The real control plane runs in this process (global-setup started it); its components stop with it.
  await (globalThis as { fleetdeckRealStack?: { controlPlane?: { stop(): Promise<void> } } }).fleetdeckRealStack?.controlPlane?.stop();
  const stack = readStack();
  if (!stack) return;
  for (const pid of stack.pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  for (const pid of stack.pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // exited on SIGTERM
    }
  }
  rmSync(stackFile, { force: true });
  if (!process.env.E2E_KEEP_DATA) {
    rmSync(stack.dataDir, { recursive: true, force: true });
    if (stack.real) rmSync(stack.real.dataDir, { recursive: true, force: true });
  }
}
