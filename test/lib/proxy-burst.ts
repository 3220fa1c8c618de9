/**
 * Run in a child process by client-proxy.test.ts: a process reads HTTPS_PROXY, NO_PROXY and the test's CA
 * (NODE_EXTRA_CA_CERTS) only from its own environment at start. Sends a burst of updates through the client and
 * prints what came back as JSON.
 */
import { SignalWireClient } from '../../src/lib';
import { CONFERENCE_SID, PROJECT_ID, TOKEN } from './fixtures';

async function main(): Promise<void> {
  const [space, count, maxInFlight] = process.argv.slice(2);
  const client = new SignalWireClient({
    space: space!,
    projectId: PROJECT_ID,
    token: TOKEN,
    maxInFlight: Number(maxInFlight),
    retries: 0,
  });
  const calls = Array.from({ length: Number(count) }, (_, i) =>
    client
      .updateParticipant(CONFERENCE_SID, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { muted: true })
      .then(
        (result) => ({ ok: true, callSid: result.participant.call_sid }),
        (error: Error) => ({ ok: false, message: error.message }),
      ),
  );
  const results = await Promise.all(calls);
  await client.close();
  process.stdout.write(JSON.stringify({ proxy: client.proxy ?? null, results }));
}

void main();
