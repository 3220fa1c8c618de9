/**
 * A: our participant update node with its config node, in the same flow engine as C, loaded from dist/ as
 * it ships (`npm run bench` builds first). The config node's cap on requests in flight is set to the
 * benchmark's concurrency, so the cap is not what limits it.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sinkNodes, startFlowVariant } from '../node-red-flow';
import type { VariantSetup } from './variant';

const dist = path.join(__dirname, '..', '..', 'dist', 'nodes');

function load(type: string): unknown {
  const file = path.join(dist, `${type}.js`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return createRequire(__filename)(file);
}

export const setup: VariantSetup = async (workload) => {
  const { target } = workload;
  const tab = 'bench-tab';
  const flow = [
    { id: tab, type: 'tab', label: 'bench' },
    {
      id: 'connection',
      type: 'signalwire-config',
      name: 'emulator',
      space: target.url,
      maxInFlight: String(workload.maxInFlight),
    },
    {
      id: 'update',
      type: 'signalwire-participant-update',
      z: tab,
      signalwire: 'connection',
      wires: [['bench-ok'], ['bench-error']],
    },
    ...sinkNodes(tab),
  ];
  const credentials = { connection: { projectId: target.projectId, token: target.token } };
  return startFlowVariant(
    [load('signalwire-config'), load('signalwire-participant-update')],
    flow,
    credentials,
    'update',
  );
};
