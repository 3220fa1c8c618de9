/**
 * Which nodes serve SignalWire's requests on which path (signed-route.ts claims one per route). Two on one path
 * would each get half the requests, or the wrong ones: both are told (and neither passes anything on) until one
 * of them moves.
 */

export interface PathClaim {
  /** Called whenever another node starts or stops sharing this claim's path. */
  onShareChange(shared: boolean): void;
}

const claims = new Map<string, Set<PathClaim>>();

/** Express matches paths case-insensitively and with or without a trailing slash: so does this. */
function keyOf(path: string): string {
  return path.toLowerCase().replace(/\/+$/, '');
}

export function claimPath(path: string, claim: PathClaim): { shared(): boolean; release(): void } {
  const key = keyOf(path);
  const holders = claims.get(key) ?? new Set<PathClaim>();
  claims.set(key, holders);
  holders.add(claim);
  if (holders.size > 1) for (const holder of holders) holder.onShareChange(true);
  return {
    shared: () => holders.size > 1,
    release: () => {
      if (!holders.delete(claim)) return;
      if (holders.size === 0) claims.delete(key);
      else for (const holder of holders) holder.onShareChange(holders.size > 1);
    },
  };
}
