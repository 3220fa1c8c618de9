import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, DEMO_SIDS } from '../../src/emulator';

const CLI = path.join(__dirname, '../../src/emulator/cli.ts');

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.on('data', (chunk) => (text += chunk));
  return () => text;
}

describe('emulator: command line', () => {
  it('prints the URL, project ID, token and named SIDs, serves them, and exits cleanly on Ctrl-C', async () => {
    const child = runCli(['--port', '0']);
    const stdout = collect(child.stdout);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      while (!stdout().includes('Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      const out = stdout();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      assert.ok(out.includes(DEFAULT_PROJECT_ID));
      assert.ok(out.includes(DEFAULT_TOKEN));
      assert.match(out, new RegExp(`Weekly sync.*${DEMO_SIDS.weeklySync}`));
      assert.match(out, new RegExp(`Carol \\(agent\\)\\s+${DEMO_SIDS.carol}`));
      assert.match(out, /Space = the URL above/);
      const auth = Buffer.from(`${DEFAULT_PROJECT_ID}:${DEFAULT_TOKEN}`).toString('base64');
      const reply = await fetch(`${url}/api/laml/2010-04-01/Accounts/${DEFAULT_PROJECT_ID}`, {
        headers: { authorization: `Basic ${auth}` },
      });
      assert.equal(reply.status, 200);
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('says in one line that the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = runCli(['--port', String(port)]);
      const stderr = collect(child.stderr);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      assert.equal(code, 1);
      assert.equal(stderr().trim(), `Port ${port} on 127.0.0.1 is already in use: try --port ${port + 1}.`);
    } finally {
      blocker.close();
    }
  });

  it('warns, before listening, that a host other than loopback exposes the control API', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning shows, then listening fails at once.
    const child = runCli(['--port', '0', '--host', '192.0.2.1']);
    const stderr = collect(child.stderr);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 1);
    assert.match(stderr(), /Warning: --host 192\.0\.2\.1 lets other machines reach the emulator/);
    assert.match(stderr(), /control API \(\/__emulator\/\) has no authentication/);
  });

  it('does not warn for a loopback host', async () => {
    const child = runCli(['--port', '0', '--host', 'localhost']);
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      while (!stdout().includes('Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.equal(stderr(), '');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a port that is not a number', async () => {
    const child = runCli(['--port', 'eighty']);
    const stderr = collect(child.stderr);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.match(stderr(), /--port must be a number/);
  });
});
