import type { DenoConn, DenoListener } from "./deno-types.ts";

const PAUSE_MIN_MS = 10;
const PAUSE_MAX_MS = 1000;

/**
 * Accepts until `isOpen()` turns false. A failed accept (EMFILE, ENFILE, ENOBUFS) is reported
 * and the loop pauses before trying again, 10 ms doubling to 1 s while failures last, so an fd
 * storm neither stops the listener nor spins a core (as Go's net/http and MOSN do).
 */
export async function acceptLoop(
  listener: Pick<DenoListener, "accept">,
  isOpen: () => boolean,
  onConn: (conn: DenoConn) => void,
  onError: (err: unknown) => void,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  let pause = PAUSE_MIN_MS;
  while (isOpen()) {
    let conn: DenoConn;
    try {
      conn = await listener.accept();
    } catch (err) {
      if (!isOpen()) return;
      onError(err);
      await sleep(pause);
      pause = Math.min(pause * 2, PAUSE_MAX_MS);
      continue;
    }
    pause = PAUSE_MIN_MS;
    onConn(conn);
  }
}
