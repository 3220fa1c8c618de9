/**
 * C: what a user builds without our node — a function node that builds the URL, Basic auth and form body,
 * then the core "http request" node (keep-alive on, JSON parsed), in the same flow engine as A.
 * A catch node routes request failures to the error sink so no message can vanish.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { sinkNodes, startFlowVariant } from '../node-red-flow';
import type { VariantSetup } from './variant';

// The core nodes are plain JavaScript files inside Node-RED, loaded by path as Node-RED itself does.
const load = createRequire(__filename);
const coreNodes = path.dirname(load.resolve('@node-red/nodes/package.json'));
const functionNode: unknown = load(path.join(coreNodes, 'core/function/10-function.js'));
const httpRequestNode: unknown = load(path.join(coreNodes, 'core/network/21-httprequest.js'));
const catchNode: unknown = load(path.join(coreNodes, 'core/common/25-catch.js'));

const BUILD_REQUEST = `
const project = env.get('SIGNALWIRE_PROJECT_ID');
const token = env.get('SIGNALWIRE_TOKEN');
msg.url = env.get('SIGNALWIRE_SPACE') + '/api/laml/2010-04-01/Accounts/' + project +
  '/Conferences/' + encodeURIComponent(msg.conferenceSid) + '/Participants/' + encodeURIComponent(msg.callSid);
msg.headers = {
  Authorization: 'Basic ' + Buffer.from(project + ':' + token).toString('base64'),
  'Content-Type': 'application/x-www-form-urlencoded'
};
msg.payload = new URLSearchParams({ Muted: String(msg.payload.muted) }).toString();
return msg;
`;

export const setup: VariantSetup = async (workload) => {
  const { target } = workload;
  process.env.SIGNALWIRE_SPACE = target.url;
  process.env.SIGNALWIRE_PROJECT_ID = target.projectId;
  process.env.SIGNALWIRE_TOKEN = target.token;
  const tab = 'bench-tab';
  const flow = [
    { id: tab, type: 'tab', label: 'bench' },
    { id: 'build-request', type: 'function', z: tab, func: BUILD_REQUEST, outputs: 1, wires: [['send-request']] },
    {
      id: 'send-request',
      type: 'http request',
      z: tab,
      method: 'POST',
      ret: 'obj',
      url: '',
      persist: true,
      wires: [['bench-ok']],
    },
    { id: 'catch-failures', type: 'catch', z: tab, scope: null, uncaught: false, wires: [['bench-error']] },
    ...sinkNodes(tab),
  ];
  return startFlowVariant([functionNode, httpRequestNode, catchNode], flow, {}, 'build-request');
};
