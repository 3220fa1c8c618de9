// A real Node-RED with Dashboard 2 and the conference panel, run as a user runs it: both of this repository's
// packages packed (`npm pack`) and installed from their tarballs into a fresh user directory, Dashboard 2 from the
// npm registry (its cache, offline, after `npm ci`), then Node-RED started there in its own process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const widgetDir = path.join(repoRoot, 'packages', 'dashboard-2');
export const WIDGET_PACKAGE = '@callflows/node-red-dashboard-2-signalwire';
export const MAIN_PACKAGE = '@callflows/node-red-signalwire';
export const DASHBOARD_PACKAGE = '@flowfuse/node-red-dashboard';

export interface Installed {
  userDir: string;
  /** Seconds the installation took, and the bytes it put in node_modules (all of it, and the panel's package). */
  seconds: number;
  bytes: number;
  widgetBytes: number;
  /** The packed widget's size, in bytes. */
  tarballBytes: number;
}

export interface RunningDashboard {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function du(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += du(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** The Dashboard 2 version this repository's lockfile holds, so the test installs what `npm ci` cached. */
function lockedDashboardVersion(): string {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8'));
  return lock.packages[`node_modules/${DASHBOARD_PACKAGE}`].version as string;
}

export function assertWidgetBuilt(): void {
  const built = path.join(widgetDir, 'resources', 'ui-signalwire-conference.umd.js');
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the browser tests.`);
}

/** Packs both packages (already built by `npm test`) and installs the tarballs into a new user directory. */
export function installFromTarballs(): Installed {
  assertWidgetBuilt();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-dashboard-user-'));
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-dashboard-pack-'));
  try {
    const pack = (cwd: string) =>
      (
        JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], cwd)) as Array<{
          filename: string;
          size: number;
        }>
      )[0]!;
    const main = pack(repoRoot);
    const widget = pack(widgetDir);
    fs.writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({ name: 'node-red-user-dir', private: true, dependencies: {} }),
    );
    const started = Date.now();
    npm(
      [
        'install',
        path.join(packDir, main.filename),
        path.join(packDir, widget.filename),
        `${DASHBOARD_PACKAGE}@${lockedDashboardVersion()}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      userDir,
    );
    const seconds = (Date.now() - started) / 1000;
    const installedWidget = path.join(userDir, 'node_modules', ...WIDGET_PACKAGE.split('/'));
    return {
      userDir,
      seconds,
      bytes: du(path.join(userDir, 'node_modules')),
      widgetBytes: du(installedWidget),
      tarballBytes: widget.size,
    };
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
}

/**
 * Starts this repository's Node-RED on the user directory with `flows`, editor and node endpoints both at `/`
 * (Node-RED's defaults), and `env` added to its environment. Resolves once the flows have started.
 */
export async function startDashboard(
  userDir: string,
  flows: object[],
  env: Record<string, string>,
  port: number,
): Promise<RunningDashboard> {
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: 'dashboard-e2e',
    editorTheme: { palette: { catalogues: [] }, tours: false },
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings)};\n`);
  const red = path.join(path.dirname(require.resolve('node-red/package.json', { paths: [repoRoot] })), 'red.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [red, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    { cwd: userDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`Node-RED did not start:\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await exited;
      }
    },
  };
}
