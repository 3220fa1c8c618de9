/**
 * One side of the ingestion case, in its own process: a Node-RED flow engine (node-red-node-test-helper) whose
 * node HTTP app is served on a loopback port. `ours` is the conference events node; `diy` is what a user builds
 * without it: http in → function checking the HMAC with crypto → http response. Both send each accepted event
 * to a sink node that counts it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import helper from 'node-red-node-test-helper';

export const SIGNING_KEY = 'PSK_bench-signing-key';
export const PATHS = { ours: '/bench/ours', diy: '/bench/diy' } as const;
export type IngestionVariant = keyof typeof PATHS;

const root = path.join(__dirname, '..');
const nodesDir = path.dirname(require.resolve('@node-red/nodes/package.json', { paths: [root] }));
/* eslint-disable @typescript-eslint/no-require-imports */
const core = (file: string) => require(path.join(nodesDir, 'core', file));
const ours = () => [
  require(path.join(root, 'dist/nodes/signalwire-config.js')),
  require(path.join(root, 'dist/nodes/signalwire-conference-events.js')),
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The function node of the DIY flow: the signature check as most hand-written flows do it. */
const DIY_CHECK = `
const crypto = global.get('crypto');
const key = ${JSON.stringify(SIGNING_KEY)};
const url = msg.req.protocol + '://' + msg.req.headers.host + msg.req.originalUrl;
const params = msg.payload || {};
const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
const expected = crypto.createHmac('sha1', key).update(Buffer.from(data, 'utf-8')).digest('base64');
const given = Buffer.from(msg.req.headers['x-signalwire-signature'] || msg.req.headers['x-twilio-signature'] || '');
const wanted = Buffer.from(expected);
if (given.length !== wanted.length || !crypto.timingSafeEqual(given, wanted)) {
  msg.statusCode = 403;
  return [null, msg];
}
msg.statusCode = 204;
return [msg, msg];
`;

let received = 0;

interface RedApi {
  httpNode: http.RequestListener;
  nodes: {
    createNode(node: object, config: object): void;
    registerType(
      type: string,
      ctor: (
        this: { on: (e: string, cb: (m: unknown, s: unknown, d: () => void) => void) => void },
        config: object,
      ) => void,
    ): void;
  };
}

function sinkModule(RED: RedApi): void {
  RED.nodes.registerType('bench-events-sink', function (config) {
    RED.nodes.createNode(this, config);
    this.on('input', (_msg, _send, done) => {
      received++;
      done();
    });
  });
}

let nodeApp: http.RequestListener | undefined;
const capture = (RED: RedApi) => {
  nodeApp = RED.httpNode;
};

function flowFor(variant: IngestionVariant): object[] {
  const tab = { id: 'tab', type: 'tab', label: 'bench' };
  const sink = { id: 'sink', type: 'bench-events-sink', z: 'tab', wires: [] };
  if (variant === 'ours') {
    return [
      tab,
      { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
      {
        id: 'events',
        type: 'signalwire-conference-events',
        z: 'tab',
        signalwire: 'cfg',
        path: PATHS.ours,
        wires: [['sink']],
      },
      sink,
    ];
  }
  return [
    tab,
    { id: 'in', type: 'http in', z: 'tab', url: PATHS.diy, method: 'post', upload: false, wires: [['check']] },
    { id: 'check', type: 'function', z: 'tab', func: DIY_CHECK, outputs: 2, wires: [['sink'], ['out']] },
    { id: 'out', type: 'http response', z: 'tab', statusCode: '', headers: {}, wires: [] },
    sink,
  ];
}

async function main(): Promise<void> {
  const variant = process.argv[2] as IngestionVariant;
  helper.init(require.resolve('node-red', { paths: [root] }));
  helper.settings({ functionGlobalContext: { crypto } });
  await new Promise<void>((resolve) => helper.startServer(() => resolve()));
  const modules = variant === 'ours' ? ours() : [core('network/21-httpin.js'), core('function/10-function.js')];
  await helper.load(
    [...modules, sinkModule, capture] as never,
    flowFor(variant) as never,
    {
      cfg: { signingKey: SIGNING_KEY },
    } as never,
  );
  // The helper's spies keep every message they see: remove them, and rewire so nodes send with the real send.
  const internals = helper as unknown as { _sandbox: { restore(): void }; _logSpy?: { restore(): void } };
  internals._sandbox.restore();
  internals._logSpy?.restore();
  for (const id of ['events', 'in', 'check', 'out']) {
    const node = helper.getNode(id) as unknown as { wires?: string[][]; updateWires?(w: string[][]): void } | null;
    if (node?.wires && node.updateWires) node.updateWires(node.wires);
  }
  const server = http.createServer((req, res) => nodeApp!(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on('message', (m: { count?: boolean }) => {
    if (!m.count) return;
    const cpu = process.cpuUsage();
    process.send!({ received, cpuUs: cpu.user + cpu.system });
    server.closeAllConnections();
    server.close();
    void helper.unload().then(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.send?.({ error: String((err as Error)?.stack ?? err) });
    process.exit(1);
  });
}
