/**
 * The control API's routes for conference events (see control-api.ts for the rest):
 *
 *   POST   /__emulator/calls/join          body JoinRequest -> 201 {conference, participant}; sends the join events
 *   POST   /__emulator/calls/leave         body {conferenceSid | friendlyName, callSid | label} -> 200 the conference;
 *                                          sends leave (and end)
 *   GET    /__emulator/callbacks           the deliveries so far (event, sequence, url, outcome)
 *   PUT    /__emulator/callbacks/target    body CallbackTarget: where conferences without their own send events
 *   GET    /__emulator/callbacks/faults    the callback fault rules in force
 *   PUT    /__emulator/callbacks/faults    body CallbackFaultRule[]: delay, duplicate, out-of-order
 *   DELETE /__emulator/callbacks/faults    no more callback faults
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConferenceCalls, JoinRequest, LeaveRequest } from './conference-calls';
import { parseJson, sendControlError } from './control-api';
import { sendEmpty, sendJson } from './respond';
import type { CallbackTarget, StatusCallbacks } from './status-callbacks';

const PREFIXES = ['/__emulator/calls/', '/__emulator/callbacks'];

/** Answers the request when it is one of these routes; false leaves it to the other control routes. */
export function handleEventsControl(
  target: { calls: ConferenceCalls; callbacks: StatusCallbacks },
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): boolean {
  const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  if (!PREFIXES.some((prefix) => path.startsWith(prefix.replace(/\/$/, '')))) return false;
  const key = `${req.method ?? 'GET'} ${path.slice('/__emulator/'.length)}`;
  try {
    switch (key) {
      case 'POST calls/join':
        sendJson(res, 201, target.calls.join(parseJson(body) as JoinRequest));
        return true;
      case 'POST calls/leave':
        sendJson(res, 200, target.calls.leave(parseJson(body) as LeaveRequest));
        return true;
      case 'GET callbacks':
        sendJson(res, 200, target.callbacks.deliveries);
        return true;
      case 'PUT callbacks/target':
        target.callbacks.setDefaultTarget(parseJson(body) as CallbackTarget);
        sendEmpty(res, 204);
        return true;
      case 'GET callbacks/faults':
        sendJson(res, 200, target.callbacks.faults.list());
        return true;
      case 'PUT callbacks/faults': {
        const rules = parseJson(body);
        if (!Array.isArray(rules)) throw new TypeError('Send an array of callback fault rules');
        target.callbacks.faults.set(rules);
        sendJson(res, 200, target.callbacks.faults.list());
        return true;
      }
      case 'DELETE callbacks/faults':
        target.callbacks.faults.set([]);
        sendEmpty(res, 204);
        return true;
      default:
        sendJson(res, 404, { error: `No control route ${key}` });
        return true;
    }
  } catch (error) {
    sendControlError(res, error);
    return true;
  }
}
