import type { ChildProcess } from "node:child_process";

/**
 * The port a test service's child process announces as its first stdout line,
 * `{"port": N}` (dynalite, the PostgreSQL keeper). Rejects with its stderr if it exits first
 * or says nothing within the timeout.
 */
export function readAnnouncedPort(child: ChildProcess, what: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => fail(new Error(`${what} did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) {
        clearTimeout(timer);
        const port = (JSON.parse(line) as { port?: unknown }).port;
        if (typeof port === "number") resolve(port);
        else reject(new Error(`${what} printed no port: ${line}`));
      }
    });
    child.once("exit", (code) => fail(new Error(`${what} exited (${code}) before listening: ${stderr}`)));
    child.once("error", fail);
  });
}
