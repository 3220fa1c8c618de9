import { SignalWireClient } from '../../src/lib';
import type { ClientSettings } from '../../src/lib';
import type { RecordingServer } from '../support/recording-server';

export const PROJECT_ID = '7b1e4c2a-5d3f-4a6b-8c9d-0e1f2a3b4c5d';
export const CONFERENCE_SID = 'c0ffee00-1234-4abc-8def-0123456789ab';
export const CALL_SID = 'ca11ca11-aaaa-4bbb-8ccc-ddddeeeeffff';
export const COACHED_SID = 'c0ac4ed0-9999-4888-8777-666655554444';
/** Distinctive, so a leak anywhere is found by a plain substring search. */
export const TOKEN = 'PTsecret-Zq8vX3-never-print-me-41f9';

export const PARTICIPANT_PATH = `/api/laml/2010-04-01/Accounts/${PROJECT_ID}/Conferences/${CONFERENCE_SID}/Participants/${CALL_SID}`;

/** A client aimed at the recording server, with short delays so retry tests stay fast. */
export function clientFor(server: RecordingServer, settings: Partial<ClientSettings> = {}): SignalWireClient {
  return new SignalWireClient({
    space: server.url,
    projectId: PROJECT_ID,
    token: TOKEN,
    retryDelay: 10,
    ...settings,
  });
}

/** The rejection of a promise that must reject; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
