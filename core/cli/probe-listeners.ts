import type { IsthmusConfig } from "../config/types.ts";
import type { Runtime } from "../net/runtime.ts";
import { listenErrorMessage } from "../server/server.ts";

/**
 * Binds each listener address once, plainly (no SO_REUSEPORT), and closes it again: the error
 * a one-process start would report, or undefined when every port is free.
 *
 * A primary runs this before it starts `--workers`. Deno and Bun workers bind with
 * SO_REUSEPORT, which also lets a second, unrelated isthmus join the port and silently take
 * part of its connections; a plain bind fails on a port that any socket holds, so a second
 * instance is refused here as it would be with one worker. Port 0 is skipped: every worker gets
 * its own port there anyway.
 */
export async function probeListeners(config: IsthmusConfig, runtime: Runtime): Promise<string | undefined> {
  for (const server of config.servers) {
    for (const l of server.listeners) {
      if (!l.bindPort || l.address.port === 0) continue;
      try {
        const handle = await runtime.listen(
          { host: l.address.host, port: l.address.port, reusePort: false },
          (s) => s.destroy(),
        );
        await handle.close();
      } catch (err) {
        return listenErrorMessage(l.name, l.address, err);
      }
    }
  }
  return undefined;
}
