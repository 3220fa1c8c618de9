/**
 * Node-RED gives a closing node 15 s (`nodeCloseTimeout`) before it logs "Close timed out" and moves on. The
 * connection's client owns the shutdown: it lets accepted requests run for at most this long, then cancels the
 * rest, so a redeploy ends in time whatever timeout the connection has (30 s included).
 */
export const MAX_CLOSE_WAIT = 10_000;

/** How long a closing client lets accepted requests run before it cancels them. */
export function closeWaitFor(timeout: number): number {
  return Math.min(timeout, MAX_CLOSE_WAIT);
}
