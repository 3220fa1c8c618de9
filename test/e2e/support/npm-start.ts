// `npm start` as a newcomer runs it (without the build: `npm test` built already), in a shell with no SignalWire
// settings, on a free port, with the demo's user directory where the test says.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface RunningStart {
  child: ChildProcess;
  /** The editor's address, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Everything the start script printed so far, stdout and stderr. */
  output(): string;
  /** The script's exit code, once it exits. */
  exited: Promise<number | null>;
}

/** The environment of a shell with no SignalWire settings, so the demo can only reach its own emulator. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SIGNALWIRE_')) env[name] = value;
  return { ...env, ...extra };
}

/** Starts the start script and resolves once it says how to stop it (Ctrl-C); fails with what it printed if not. */
export async function runNpmStart(userDir: string, args: string[] = []): Promise<RunningStart> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join('scripts', 'start.js'), '--no-build', ...args], {
    cwd: repoRoot,
    env: cleanEnv({ NODE_RED_PORT: String(port), SIGNALWIRE_EMULATOR_PORT: '0', DEMO_USER_DIR: userDir }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C')) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => resolve(false));
  });
  assert.ok(await ready, `npm start is running; it printed:\n${output}`);
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}
