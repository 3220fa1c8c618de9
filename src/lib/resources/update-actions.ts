import type { ParticipantUpdateOptions } from '../types';

/**
 * Whether a participant update starts something that a second copy would start again, so it must not be
 * retried once SignalWire may have processed it:
 * - `AnnounceUrl`: each request plays the announcement;
 * - `Hold=true` with `HoldUrl`: each request fetches the hold music and plays it from the top.
 * Everything else sets absolute state (muted, hold without music, coaching, wait URL) and can be repeated.
 */
export function startsAnAction(options: ParticipantUpdateOptions): boolean {
  return options.announceUrl !== undefined || (options.hold === true && options.holdUrl !== undefined);
}
