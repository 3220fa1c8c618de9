'use strict';
// `npm start` and `npm test` work on a fresh clone: install from the lockfile when dependencies are missing.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');

if (!fs.existsSync(marker)) {
  console.log('First run: installing dependencies from package-lock.json (npm ci, under a minute)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('Could not install dependencies: check your network access to the npm registry, then run `npm ci`.');
    process.exit(result.status ?? 1);
  }
}
