import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN } from '../../src/emulator';
import { checkSignature } from '../../src/lib/webhooks/webhook-signature';
import { startRecordingServer } from '../support/recording-server';

const CLI = path.join(__dirname, '../../src/emulator/cli.ts');

describe('emulator: command line, calls', () => {
  it('prints its phone number, and --signing-key signs the cXML a call fetches; cXML it cannot run goes to stderr', async () => {
    const key = 'PSK_command-line-key';
    const app = await startRecordingServer();
    app.fallback = () => ({
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body: '<Response><Pause/></Response>',
    });
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', CLI, '--port', '0', '--signing-key', key], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      while (!stdout.includes('Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const from = /Phone numbers (\+\d+)/.exec(stdout)?.[1];
      assert.ok(from, stdout);
      assert.match(stdout, new RegExp(`Signing Key ${key}`));
      const auth = Buffer.from(`${DEFAULT_PROJECT_ID}:${DEFAULT_TOKEN}`).toString('base64');
      const created = await fetch(`${url}/api/laml/2010-04-01/Accounts/${DEFAULT_PROJECT_ID}/Calls.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: '+15551230001', From: from, Url: `${app.url}/join` }).toString(),
      });
      assert.equal(created.status, 200);
      // The call rings, answers after a short delay and fetches its Url: wait for that request, not for a time.
      while (app.requests.length === 0 || !stderr.includes('Pause')) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const fetchRequest = app.requests[0]!;
      const signed = checkSignature({
        signingKey: key,
        signature: fetchRequest.headers['x-signalwire-signature'] as string,
        url: `${app.url}${fetchRequest.path}`,
        fields: Array.from(new URLSearchParams(fetchRequest.body)),
      });
      assert.deepEqual(signed, { ok: true });
      assert.match(stderr, /\[error\] call [0-9a-f-]+: the cXML from .* cannot be run: <Pause> is not a verb/);
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await app.close();
    }
  });
});
