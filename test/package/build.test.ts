// `npm run build` makes dist/ from the sources alone, so what `npm pack` ships is what the sources say.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');

describe('npm run build', function () {
  this.timeout(180000);

  it('removes what a renamed or deleted source left in dist/', function () {
    // What an earlier build of sources that no longer exist would have left behind.
    const leftovers = ['lib/renamed-away.js', 'lib/renamed-away.d.ts', 'nodes/old-node.js', 'nodes/old-node.html'];
    for (const file of leftovers) {
      fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
      fs.writeFileSync(path.join(dist, file), '// built from a source that is gone\n');
    }
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);

    for (const file of leftovers) assert.equal(fs.existsSync(path.join(dist, file)), false, `dist/${file} is gone`);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const file of Object.values<string>(manifest['node-red'].nodes)) {
      assert.ok(fs.existsSync(path.join(root, file)), `${file} is built`);
    }
  });

  it('builds a .js for each source and nothing else', function () {
    const sources = new Set<string>();
    const walk = (dir: string, found: (file: string) => void) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file, found);
        else found(file);
      }
    };
    walk(path.join(root, 'src'), (file) => {
      if (file.endsWith('.ts')) sources.add(path.relative(path.join(root, 'src'), file).replace(/\.ts$/, '.js'));
    });
    const built: string[] = [];
    walk(dist, (file) => {
      if (file.endsWith('.js')) built.push(path.relative(dist, file));
    });
    assert.deepEqual(built.sort(), [...sources].sort());
  });
});
