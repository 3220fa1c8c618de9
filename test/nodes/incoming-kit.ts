/**
 * Pieces the incoming call tests share: the emulator's control API (a number's voice URL, a call coming in), as a
 * person or a test drives it over HTTP, and waiting for what the emulator did with the call.
 */
import type { Emulator, EmulatedCall } from '../../src/emulator/index';
import type { CallStatus } from '../../src/lib/types';

export const OFFICE = '+15550100100';
export const FRANK = '+15551230006';

async function control(emulator: Emulator, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `PUT /__emulator/numbers/{number}`: where a call to the number fetches its cXML. */
export async function setVoiceUrl(emulator: Emulator, voiceUrl: string, voiceMethod?: 'GET' | 'POST'): Promise<void> {
  await control(emulator, 'PUT', `numbers/${encodeURIComponent(OFFICE)}`, {
    voiceUrl,
    ...(voiceMethod ? { voiceMethod } : {}),
  });
}

/** `POST /__emulator/calls/incoming`: a call comes in to the office number; its SID. */
export async function callIn(emulator: Emulator, from = FRANK): Promise<string> {
  const call = (await control(emulator, 'POST', 'calls/incoming', { from, to: OFFICE })) as EmulatedCall;
  return call.sid;
}

const FINAL: CallStatus[] = ['completed', 'busy', 'failed', 'no-answer', 'canceled'];

/** The call once its cXML has run: in a room, or ended. */
export async function settled(emulator: Emulator, sid: string): Promise<EmulatedCall> {
  const view = () => emulator.callRecords.emulatedView(emulator.callRecords.get(sid)!);
  for (;;) {
    const call = view();
    if (FINAL.includes(call.status) || call.conference) return call;
    await emulator.phoneCalls.whenStatus(sid, 'in-progress', ...FINAL);
    // Joining a room happens just after the call is answered.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
