// A real Node-RED, as `node-red` runs it: its own process (node_modules/node-red/red.js), a throw-away user
// directory with this package linked into it as `npm start` links it, a settings file and a flow file. What the
// tests see is Node-RED's real HTTP layout: editor and node endpoints at `/` unless the settings move them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt } from './node-red';
import { freePort } from './free-port';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const packageName: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;

export interface NodeRedProcess {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  userDir: string;
  /** Everything Node-RED printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ProcessOptions {
  /** The settings file's text; `__PORT__` is replaced with the port it must listen on. */
  settings: string;
  flows: object[];
  /** Extra environment (e.g. SIGNALWIRE_SIGNING_KEY). */
  env?: Record<string, string>;
  /** Extra files to write into the user directory, by relative path. */
  files?: Record<string, string>;
}

/** Settings that hold little more than a port (and the flow file's name): Node-RED's defaults for the rest. */
/** `quietEditor`: no welcome tour and no update-notification question over the workspace (for a browser). */
export function minimalSettings(extra = '', options: { quietEditor?: boolean } = {}): string {
  return `module.exports = {
  uiPort: __PORT__,
  uiHost: '127.0.0.1',
  flowFile: 'flows.json',
  editorTheme: { palette: { catalogues: [] }${options.quietEditor ? ', tours: false' : ''} },${
    options.quietEditor ? '\n  telemetry: { enabled: false, updateNotification: false },' : ''
  }${extra ? `\n  ${extra}` : ''}
};
`;
}

export async function startNodeRedProcess(options: ProcessOptions): Promise<NodeRedProcess> {
  assertBuilt();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-process-'));
  const link = path.join(userDir, 'node_modules', ...packageName.split('/'));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(repoRoot, link, 'dir');
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify({ name: 'nr-process', private: true, dependencies: { [packageName]: `file:${repoRoot}` } }),
  );
  for (const [file, text] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(userDir, file)), { recursive: true });
    fs.writeFileSync(path.join(userDir, file), text);
  }
  const port = await freePort();
  const settingsFile = path.join(userDir, 'settings.js');
  fs.writeFileSync(settingsFile, options.settings.replace(/__PORT__/g, String(port)));
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows));

  // NODE_RED_RUNTIME picks another Node-RED (a folder, as the version matrix gives), run on this Node.js.
  const redJs = require.resolve(`${process.env.NODE_RED_RUNTIME || 'node-red'}/red.js`, { paths: [repoRoot] });
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SIGNALWIRE_')) env[name] = value;
  const child: ChildProcess = spawn(process.execPath, [redJs, '--userDir', userDir, '--settings', settingsFile], {
    cwd: userDir,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = await new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Started flows')) resolve(true);
      if (output.includes('Waiting for missing types')) resolve(false);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => resolve(false));
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  if (!started) {
    await stop();
    throw new Error(`Node-RED did not start its flows; it printed:\n${output}`);
  }
  return { url: `http://127.0.0.1:${port}`, userDir, output: () => output, stop };
}
