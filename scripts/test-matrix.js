'use strict';
// Runs the node tests once per extra Node-RED runtime (installed side by side as npm aliases), so the
// package is known to work on every major version it claims. The default run (`npm run test:unit`)
// already covers the Node-RED version in devDependencies.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const runtimes = ['node-red-3', 'node-red-5'];
const spec = 'test/nodes/**/*.test.ts';
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

// Mocha adds command-line specs to the ones in .mocharc.json, so the node tests get a copy of that
// configuration whose spec list is only theirs.
const baseConfig = JSON.parse(fs.readFileSync(path.join(root, '.mocharc.json'), 'utf8'));
const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'test-matrix-')), 'mocharc.json');
fs.writeFileSync(configFile, JSON.stringify({ ...baseConfig, spec: [spec] }));

const results = [];
for (const runtime of runtimes) {
  const manifest = path.join(root, 'node_modules', runtime, 'package.json');
  if (!fs.existsSync(manifest)) {
    console.error(`${runtime} is not installed: run \`npm ci\` first.`);
    process.exit(1);
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  console.log(`\n=== Node tests on Node-RED ${version} (${runtime}) ===`);
  const run = spawnSync(process.execPath, [mocha, '--config', configFile], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_RED_RUNTIME: runtime },
  });
  results.push({ runtime, version, ok: run.status === 0 });
}

fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
console.log('\nNode-RED version matrix:');
for (const r of results) console.log(`  ${r.ok ? 'pass' : 'FAIL'}  Node-RED ${r.version} (${r.runtime})`);
if (results.some((r) => !r.ok)) process.exit(1);
