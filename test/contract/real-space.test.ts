import { participantContract, type ContractTarget } from './participant-contract';

const REQUIRED = [
  'SIGNALWIRE_SPACE',
  'SIGNALWIRE_PROJECT_ID',
  'SIGNALWIRE_TOKEN',
  'SIGNALWIRE_CONFERENCE_SID',
  'SIGNALWIRE_CALL_SID',
] as const;

describe('contract: a real SignalWire space', function () {
  // A real space is across the internet: allow for its latency and our retries.
  this.timeout(60_000);

  before(function () {
    const missing = REQUIRED.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      console.log(`    (skipping the real-space contract tests: ${missing.join(', ')} not set)`);
      this.skip();
    }
  });

  participantContract((): ContractTarget => ({
    space: process.env.SIGNALWIRE_SPACE!,
    projectId: process.env.SIGNALWIRE_PROJECT_ID!,
    token: process.env.SIGNALWIRE_TOKEN!,
    conferenceSid: process.env.SIGNALWIRE_CONFERENCE_SID!,
    callSid: process.env.SIGNALWIRE_CALL_SID!,
  }));
});
