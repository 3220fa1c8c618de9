'use strict';
// The build starts from nothing: a node or widget file left by a renamed source must never ship.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.rmSync(path.join(root, 'resources'), { recursive: true, force: true });
for (const file of fs.readdirSync(path.join(root, 'nodes'))) {
  if (file.endsWith('.js')) fs.rmSync(path.join(root, 'nodes', file));
}
