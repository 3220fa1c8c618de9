// `.ci/run` is what CI starts on a clean clone: it must install from the lockfile and run `CI=1 npm test` at the
// repository root wherever it is started from. npm is replaced by a recorder on PATH, so the script itself runs
// for real (its bounds, its cd, its re-exec under `timeout`) without a 5-minute test suite behind it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve(__dirname, '..', '..', '.ci', 'run');

describe('.ci/run', function () {
  let repo: string;
  let bin: string;
  let log: string;

  beforeEach(function () {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ci-run-')));
    repo = path.join(dir, 'repo');
    bin = path.join(dir, 'bin');
    log = path.join(dir, 'commands.log');
    fs.mkdirSync(path.join(repo, '.ci'), { recursive: true });
    fs.copyFileSync(script, path.join(repo, '.ci', 'run'));
    fs.chmodSync(path.join(repo, '.ci', 'run'), 0o755);
    fs.mkdirSync(bin);
    // Each recorder writes the directory it ran in, CI, and its arguments.
    for (const command of ['npm', 'apt-get', 'sudo']) {
      fs.writeFileSync(path.join(bin, command), `#!/bin/sh\necho "$(pwd) CI=\${CI:-} ${command} $*" >> "${log}"\n`, {
        mode: 0o755,
      });
    }
  });

  afterEach(function () {
    fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  });

  function run(cwd: string, command: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    delete env.CI;
    delete env.CI_RUN_BOUNDED;
    return spawnSync(command[0], command.slice(1), { cwd, env, encoding: 'utf8' });
  }

  function npmCalls(): string[] {
    return fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line.includes(' npm '));
  }

  const starts: Array<[string, (repo: string) => [string, string[]]]> = [
    ['bash .ci/run from the root', (r) => [r, ['bash', '.ci/run']]],
    ['.ci/run from the root', (r) => [r, ['.ci/run']]],
    ['bash run from inside .ci/', (r) => [path.join(r, '.ci'), ['bash', 'run']]],
    ['./run from inside .ci/', (r) => [path.join(r, '.ci'), ['./run']]],
    ['its absolute path from another directory', (r) => [os.tmpdir(), ['bash', path.join(r, '.ci', 'run')]]],
  ];
  for (const [name, start] of starts) {
    it(`installs from the lockfile, then runs CI=1 npm test at the root, started as ${name}`, function () {
      const [cwd, command] = start(repo);
      const result = run(cwd, command);
      assert.equal(result.status, 0, `exit ${result.status}\n${result.stdout}\n${result.stderr}`);
      assert.deepEqual(npmCalls(), [`${repo} CI= npm ci --no-audit --no-fund`, `${repo} CI=1 npm test`]);
    });
  }

  it('fails when a step fails, and runs nothing after it', function () {
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$(pwd) CI=\${CI:-} npm $*" >> "${log}"\nexit 3\n`);
    const result = run(path.join(repo, '.ci'), ['bash', 'run']);
    assert.equal(result.status, 3);
    assert.deepEqual(npmCalls(), [`${repo} CI= npm ci --no-audit --no-fund`]);
  });
});
