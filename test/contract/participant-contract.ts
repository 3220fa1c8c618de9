import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isUuid, SignalWireClient, SignalWireError } from '../../src/lib';
import type { ConferenceParticipant } from '../../src/lib';

/** A SignalWire space (real or emulated) and one live participant in an in-progress conference. */
export interface ContractTarget {
  space: string;
  projectId: string;
  token: string;
  conferenceSid: string;
  callSid: string;
  /** Requests the server has received, where it can tell (the emulator can, a real space cannot). */
  requestCount?: () => number;
}

const HOLD_MUSIC = 'https://cdn.signalwire.com/default-music/welcome.mp3';

async function rejectionOf(promise: Promise<unknown>): Promise<SignalWireError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SignalWireError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}

function assertIsParticipant(participant: ConferenceParticipant, target: ContractTarget): void {
  assert.equal(participant.call_sid, target.callSid);
  assert.equal(participant.conference_sid, target.conferenceSid);
  assert.equal(participant.account_sid, target.projectId);
  assert.ok(participant.call_sid_to_coach === null || isUuid(participant.call_sid_to_coach));
  for (const flag of ['coaching', 'end_conference_on_exit', 'muted', 'hold', 'start_conference_on_enter'] as const) {
    assert.equal(typeof participant[flag], 'boolean', `${flag} is a boolean`);
  }
  for (const date of ['date_created', 'date_updated'] as const) {
    assert.ok(!Number.isNaN(Date.parse(participant[date])), `${date} is a date: ${participant[date]}`);
  }
  assert.equal(participant.status, 'in-progress');
  assert.equal(typeof participant.uri, 'string');
}

/**
 * The behaviour this package relies on from "Update a Participant", asserted through the client. The same
 * assertions run against the local emulator and, when credentials are given, a real space: the emulator is
 * only worth testing against if it answers like SignalWire does.
 */
export function participantContract(target: () => ContractTarget): void {
  let client: SignalWireClient;
  let original: ConferenceParticipant;

  before(async function () {
    const t = target();
    client = new SignalWireClient({ space: t.space, projectId: t.projectId, token: t.token, retries: 2 });
    original = (await client.getParticipant(t.conferenceSid, t.callSid)).participant;
  });

  after(async function () {
    if (!client) return;
    // Leave the participant as it was found: this may be a real call.
    if (original) {
      await client
        .updateParticipant(target().conferenceSid, target().callSid, { muted: original.muted, hold: original.hold })
        .catch(() => undefined);
    }
    await client.close();
  });

  it('accepts the credentials in a connection check', async () => {
    assert.equal((await client.checkConnection()).ok, true);
  });

  it('retrieves the participant with every documented field', async () => {
    const t = target();
    const { participant, statusCode } = await client.getParticipant(t.conferenceSid, t.callSid);
    assert.equal(statusCode, 200);
    assertIsParticipant(participant, t);
  });

  it('mutes the participant, and a retrieve shows it muted', async () => {
    const t = target();
    const { participant, statusCode } = await client.updateParticipant(t.conferenceSid, t.callSid, { muted: true });
    assert.equal(statusCode, 200);
    assertIsParticipant(participant, t);
    assert.equal(participant.muted, true);
    assert.equal((await client.getParticipant(t.conferenceSid, t.callSid)).participant.muted, true);
  });

  it('unmutes the participant, and a retrieve shows it unmuted', async () => {
    const t = target();
    const { participant } = await client.updateParticipant(t.conferenceSid, t.callSid, { muted: false });
    assert.equal(participant.muted, false);
    assert.equal((await client.getParticipant(t.conferenceSid, t.callSid)).participant.muted, false);
  });

  it('puts the participant on hold with music, then takes it off hold', async () => {
    const t = target();
    const held = await client.updateParticipant(t.conferenceSid, t.callSid, {
      hold: true,
      holdUrl: HOLD_MUSIC,
      holdMethod: 'GET',
    });
    assert.equal(held.participant.hold, true);
    assert.equal((await client.getParticipant(t.conferenceSid, t.callSid)).participant.hold, true);

    const back = await client.updateParticipant(t.conferenceSid, t.callSid, { hold: false });
    assert.equal(back.participant.hold, false);
    assert.equal((await client.getParticipant(t.conferenceSid, t.callSid)).participant.hold, false);
  });

  it('answers 404 for a participant that is not in the conference', async () => {
    const t = target();
    const error = await rejectionOf(client.updateParticipant(t.conferenceSid, randomUUID(), { muted: true }));
    assert.equal(error.source, 'api');
    assert.equal(error.status, 404);
    assert.ok(error.message.length > 0);
  });

  it('answers 401 (code 20003) for a wrong token, and the check says so', async () => {
    const t = target();
    const wrong = new SignalWireClient({ space: t.space, projectId: t.projectId, token: 'PTwrong-token-for-contract' });
    try {
      const error = await rejectionOf(wrong.updateParticipant(t.conferenceSid, t.callSid, { muted: true }));
      assert.equal(error.source, 'api');
      assert.equal(error.status, 401);
      assert.equal(error.code, 20003);
      assert.ok(!JSON.stringify(error).includes('PTwrong-token-for-contract'));
      const check = await wrong.checkConnection();
      assert.equal(!check.ok && check.reason, 'auth');
    } finally {
      await wrong.close();
    }
  });

  it('refuses coaching without a call to coach before sending anything', async () => {
    const t = target();
    const before = t.requestCount?.();
    const error = await rejectionOf(client.updateParticipant(t.conferenceSid, t.callSid, { coaching: true }));
    assert.equal(error.source, 'validation');
    assert.match(error.message, /callSidToCoach/);
    if (before !== undefined) assert.equal(t.requestCount!(), before);
  });

  it('refuses a path trick in a SID before sending anything', async () => {
    const t = target();
    const before = t.requestCount?.();
    const error = await rejectionOf(client.updateParticipant(t.conferenceSid, '../../Calls', { muted: true }));
    assert.equal(error.source, 'validation');
    assert.match(error.message, /^callSid/);
    if (before !== undefined) assert.equal(t.requestCount!(), before);
  });
}
