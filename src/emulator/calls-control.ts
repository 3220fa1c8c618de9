/**
 * The control API's routes for calls and phone numbers (see control-api.ts and events-control.ts for the rest):
 *
 *   GET    /__emulator/numbers              {owned: [{sid, phoneNumber}], settings: {number: NumberSettings}}
 *   PUT    /__emulator/numbers/{number}     body NumberSettings {voiceUrl?, voiceMethod?, answer?, afterMs?}
 *                                           -> the settings: how the number behaves when called; an owned
 *                                           number's voiceUrl runs when a call comes in to it
 *   DELETE /__emulator/numbers/{number}     back to the default (answers after DEFAULT_ANSWER_MS) -> 204
 *   POST   /__emulator/calls/incoming       body {from, to} -> 201 the call: it rings `to` (an owned number) and
 *                                           runs that number's voice URL
 *   GET    /__emulator/calls                every call as the emulator knows it (Url, callbacks, room, heard)
 *   GET    /__emulator/calls/{sid}          one call
 *   GET    /__emulator/log                  what the emulator refused to run, and why
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallProgress } from './call-progress';
import type { CallRecords } from './call-records';
import type { EmulatorLog } from './emulator-log';
import type { PhoneNumbers } from './phone-numbers';
import { parseJson, sendControlError } from './control-api';
import { sendEmpty, sendJson } from './respond';

export interface CallsControlTarget {
  numbers: PhoneNumbers;
  phoneCalls: CallProgress;
  callRecords: CallRecords;
  log: EmulatorLog;
}

/** Answers the request when it is one of these routes; false leaves it to the other control routes. */
export function handleCallsControl(
  target: CallsControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
): boolean {
  const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  const parts = path.slice('/__emulator/'.length).split('/');
  const method = req.method ?? 'GET';
  const [first, second] = parts;
  try {
    if (first === 'numbers' && parts.length <= 2) {
      if (parts.length === 1 && method === 'GET') {
        sendJson(res, 200, { owned: target.numbers.list(), settings: target.numbers.allSettings() });
        return true;
      }
      const number = decodeURIComponent(second ?? '');
      if (parts.length === 2 && method === 'PUT') {
        sendJson(res, 200, target.numbers.set(number, parseJson(body)));
        return true;
      }
      if (parts.length === 2 && method === 'DELETE') {
        if (target.numbers.remove(number)) sendEmpty(res, 204);
        else sendJson(res, 404, { error: `${number} has no settings` });
        return true;
      }
      sendJson(res, 404, { error: `No control route ${method} ${path}` });
      return true;
    }
    if (first === 'calls' && second === 'incoming' && parts.length === 2 && method === 'POST') {
      sendJson(res, 201, target.phoneCalls.incoming(parseJson(body)));
      return true;
    }
    if (first === 'calls' && method === 'GET' && parts.length <= 2) {
      if (parts.length === 1) {
        sendJson(
          res,
          200,
          target.callRecords.all().map((r) => target.callRecords.emulatedView(r)),
        );
        return true;
      }
      const record = target.callRecords.get(second!);
      if (record) sendJson(res, 200, target.callRecords.emulatedView(record));
      else sendJson(res, 404, { error: `Call ${second} does not exist` });
      return true;
    }
    if (first === 'log' && parts.length === 1 && method === 'GET') {
      sendJson(res, 200, target.log.entries);
      return true;
    }
    return false;
  } catch (error) {
    sendControlError(res, error);
    return true;
  }
}
