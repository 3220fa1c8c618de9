// `npm start` restarted keeps what the user deployed: the demo flow is written only into an empty user directory,
// and `--reset` brings it back only when asked, keeping the replaced flows in a backup it names.
// A real start script, a real Node-RED and a real deploy through Node-RED's admin API, as the editor does it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt } from './support/node-red';
import { runNpmStart } from './support/npm-start';

const repoRoot = path.resolve(__dirname, '..', '..');

interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

/** `npm start` until it is ready, with what these tests ask of its Node-RED; stop() is Ctrl-C. */
async function start(userDir: string, args: string[] = []) {
  const { child, url, output, exited } = await runNpmStart(userDir, args);
  return {
    output,
    async flows(): Promise<FlowNode[]> {
      const res = await fetch(`${url}/flows`, { headers: { 'Node-RED-API-Version': 'v1' } });
      assert.equal(res.status, 200);
      return (await res.json()) as FlowNode[];
    },
    /** A full deploy, as the editor's Deploy button sends it. */
    async deploy(flows: FlowNode[]): Promise<void> {
      const res = await fetch(`${url}/flows`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(flows),
      });
      assert.equal(res.status, 204, await res.text());
    },
    async stop(): Promise<void> {
      child.kill('SIGINT');
      assert.equal(await exited, 0, output());
    },
  };
}

const myFlow: FlowNode[] = [
  { id: 'my-tab', type: 'tab', label: 'My work' },
  { id: 'my-comment', type: 'comment', z: 'my-tab', name: 'deployed by me', x: 200, y: 100, wires: [] },
];
const ids = (flows: FlowNode[]) => flows.map((node) => node.id).sort();

describe('npm start: the user directory across restarts', function () {
  let userDir: string;

  before(function () {
    assertBuilt();
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-start-user-'));
  });
  after(function () {
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('deploys the demo flow into an empty user directory', async function () {
    const demo = await start(userDir);
    try {
      assert.ok(
        (await demo.flows()).some((node) => node.id === 'demo-mute-bob'),
        'the demo flow is deployed',
      );
      assert.match(demo.output(), /Wrote the demo flow to /);
    } finally {
      await demo.stop();
    }
  });

  it('keeps the flows the user deployed when started again, and says how to reset', async function () {
    const first = await start(userDir);
    try {
      await first.deploy(myFlow);
    } finally {
      await first.stop();
    }
    const again = await start(userDir);
    try {
      assert.deepEqual(ids(await again.flows()), ids(myFlow));
      assert.match(
        again.output(),
        /Kept your flows in .*flows\.json \(`npm start -- --reset` brings back the demo flow\)/,
      );
    } finally {
      await again.stop();
    }
  });

  it('--reset deploys the demo flow and keeps the replaced flows in a backup it names', async function () {
    const reset = await start(userDir, ['--reset']);
    try {
      assert.ok(
        (await reset.flows()).some((node) => node.id === 'demo-mute-bob'),
        'the demo flow is back',
      );
      const named = /your previous flows are in (\S+\.json)\./.exec(reset.output())?.[1];
      assert.ok(named, `it says where the backup is:\n${reset.output()}`);
      const backup = path.isAbsolute(named) ? named : path.join(repoRoot, named);
      assert.equal(path.dirname(backup), userDir);
      assert.deepEqual(ids(JSON.parse(fs.readFileSync(backup, 'utf8')) as FlowNode[]), ids(myFlow));
    } finally {
      await reset.stop();
    }
  });
});
