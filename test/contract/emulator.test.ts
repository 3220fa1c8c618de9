import assert from 'node:assert/strict';
import { SignalWireClient, SignalWireError } from '../../src/lib';
import { DEMO_SIDS, startEmulator, type Emulator } from '../../src/emulator';
import { participantContract, type ContractTarget } from './participant-contract';

describe('contract: the local emulator', () => {
  let emulator: Emulator;
  let target: ContractTarget;

  before(async () => {
    emulator = await startEmulator();
    target = {
      space: emulator.url,
      projectId: emulator.projectId,
      token: emulator.token,
      conferenceSid: DEMO_SIDS.weeklySync,
      callSid: DEMO_SIDS.bob,
      requestCount: () => emulator.stats.requests,
    };
  });
  after(() => emulator?.close());

  participantContract(() => target);

  it('answers code 10000 for a participant of a conference that has completed', async () => {
    const client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
    try {
      await client.updateParticipant(DEMO_SIDS.mondayStandup, DEMO_SIDS.erin, { muted: true });
      assert.fail('expected the update to be refused');
    } catch (error) {
      assert.ok(error instanceof SignalWireError, String(error));
      assert.equal(error.source, 'api');
      assert.equal(error.code, 10000);
      assert.ok(error.moreInfo);
    } finally {
      await client.close();
    }
  });
});
