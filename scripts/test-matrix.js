'use strict';
// Runs the node tests once per extra Node-RED runtime, so the package is known to work on the oldest and the
// newest major version it claims: Node-RED 3.1 on this Node.js (20), Node-RED 5.0 on Node.js 22 (it requires
// >= 22.9) and 24, so every Node.js line that `engines` admits today runs. The default run (`npm run test:unit`) already covers the Node-RED version in devDependencies.
// The extra runtimes live in test/matrix/ with their own lockfile, so `npm start` never installs them.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const matrixDir = path.join(root, 'test', 'matrix');
const modules = path.join(matrixDir, 'node_modules');
const spec = 'test/nodes/**/*.test.ts';
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const nodeBinary = (name) => path.join(modules, name, 'bin', 'node');
const runtimes = [
  { runtime: 'node-red-3', node: process.execPath },
  { runtime: 'node-red-5', node: nodeBinary('node-22') },
  { runtime: 'node-red-5', node: nodeBinary('node-24') },
];

/** Installs test/matrix from its lockfile when it is missing or the lockfile changed since the last install. */
function ensureInstalled() {
  const lock = fs.readFileSync(path.join(matrixDir, 'package-lock.json'));
  const digest = crypto.createHash('sha256').update(lock).digest('hex');
  const stamp = path.join(modules, '.installed-from-lock');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return;
  console.log('Installing the version matrix runtimes from test/matrix/package-lock.json (npm ci)...');
  // npm itself runs on this Node.js, so it would warn that Node-RED 5 needs Node.js 22: that is why the matrix
  // runs it on the Node.js 22 it installs. Only errors are shown.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', matrixDir, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('Could not install test/matrix: check your access to the npm registry, then run the matrix again.');
    process.exit(result.status ?? 1);
  }
  fs.writeFileSync(stamp, digest);
}

ensureInstalled();

// Mocha adds command-line specs to the ones in .mocharc.json, so the node tests get a copy of that
// configuration whose spec list is only theirs.
const baseConfig = JSON.parse(fs.readFileSync(path.join(root, '.mocharc.json'), 'utf8'));
const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'test-matrix-')), 'mocharc.json');
fs.writeFileSync(configFile, JSON.stringify({ ...baseConfig, spec: [spec] }));

const results = [];
for (const { runtime, node } of runtimes) {
  const runtimeDir = path.join(modules, runtime);
  const { version } = JSON.parse(fs.readFileSync(path.join(runtimeDir, 'package.json'), 'utf8'));
  // The version the binary reports, not the one we meant to run.
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n=== Node tests on Node-RED ${version}, Node.js ${nodeVersion} ===`);
  const run = spawnSync(node, [mocha, '--config', configFile], {
    cwd: root,
    stdio: 'inherit',
    // test/support/node-red-runtime.ts loads the Node-RED found at this path.
    env: { ...process.env, NODE_RED_RUNTIME: runtimeDir },
  });
  results.push({ version, nodeVersion, ok: run.status === 0 });
}

fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
console.log('\nNode-RED version matrix:');
for (const r of results) console.log(`  ${r.ok ? 'pass' : 'FAIL'}  Node-RED ${r.version} on Node.js ${r.nodeVersion}`);
if (results.some((r) => !r.ok)) process.exit(1);
