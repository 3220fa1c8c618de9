// A real Node-RED editor and runtime, embedded in the test process, with a throw-away user directory into
// which this package is installed as a user gets it: `npm pack`, then `npm install` of the tarball. So what
// the browser tests see is what the package's `files` list ships, not the repository.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const packageName: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;

export interface RunningNodeRed {
  url: string;
  userDir: string;
  stop(): Promise<void>;
}

/** The built nodes are what Node-RED loads; say how to get them rather than failing obscurely. */
export function assertBuilt(): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  for (const file of Object.values<string>(manifest['node-red'].nodes)) {
    if (!fs.existsSync(path.join(repoRoot, file))) {
      throw new Error(`${file} is missing: run \`npm run build\` before the browser tests.`);
    }
  }
}

/** Runs npm and returns its output; a failure says what npm said. */
function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/**
 * Packs the package as `npm publish` would and installs the tarball into the user directory, with its runtime
 * dependencies, the way Node-RED's palette manager does. `npm test` has just built dist/, so the pack skips
 * the prepack build; the dependencies come from npm's cache when it has them.
 */
function installPackage(userDir: string): void {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-e2e-pack-'));
  try {
    const [packed] = JSON.parse(
      npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], repoRoot),
    ) as Array<{ filename: string }>;
    fs.writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({ name: 'node-red-user-dir', private: true, dependencies: {} }),
    );
    npm(
      [
        'install',
        path.join(packDir, packed!.filename),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      userDir,
    );
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
  const installed = path.join(userDir, 'node_modules', ...packageName.split('/'));
  if (fs.lstatSync(installed).isSymbolicLink()) throw new Error(`${installed} is a link, not the packed package`);
}

export async function startNodeRed(): Promise<RunningNodeRed> {
  assertBuilt();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-e2e-user-'));
  installPackage(userDir);

  // Node-RED keeps one runtime per process; this file is the only one that starts it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red') as typeof import('node-red');
  const server = http.createServer((req, res) => RED.httpAdmin(req, res));
  RED.init(server, {
    userDir,
    httpAdminRoot: '/',
    httpNodeRoot: false,
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    credentialSecret: 'e2e-test-secret',
    editorTheme: { palette: { catalogues: [] }, tours: false },
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false, updateNotification: false },
    runtimeState: { enabled: false, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    logging: { console: { level: 'error', metrics: false, audit: false } },
  } as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await RED.start();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    userDir,
    async stop() {
      await RED.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
