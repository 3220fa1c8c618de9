/**
 * D: the official @signalwire/compatibility-api SDK, as shipped.
 * It always builds `https://{signalwireSpaceUrl}` and has no option for plain http, so after construction
 * we move its API base to the emulator (`client.api.baseUrl`), the one change made. It also posts to
 * `/2010-04-01/...` under that base, so the base includes `/api/laml`. Everything else is the SDK's own
 * behaviour: its RequestClient sends `Connection: close` (a new TCP connection per request).
 */
import { createRequire } from 'node:module';
import type { VariantSetup } from './variant';

interface SdkParticipant {
  muted: boolean;
}
interface SdkClient {
  api: { baseUrl: string };
  conferences(sid: string): {
    participants(sid: string): { update(opts: { muted: boolean }): Promise<SdkParticipant> };
  };
}

export const setup: VariantSetup = async (workload) => {
  const { target } = workload;
  // The package's entry point has no type declarations; the little used of it is typed above.
  const { RestClient } = createRequire(__filename)('@signalwire/compatibility-api') as {
    RestClient: (user: string, token: string, opts: { signalwireSpaceUrl: string }) => SdkClient;
  };
  const client = RestClient(target.projectId, target.token, { signalwireSpaceUrl: new URL(target.url).host });
  client.api.baseUrl = `${target.url}/api/laml`;
  return {
    async update(req) {
      const p = await client.conferences(req.conferenceSid).participants(req.callSid).update({ muted: req.muted });
      if (p.muted !== req.muted) throw new Error('unexpected participant state');
    },
    async close() {},
  };
};
