'use strict';
// The build starts from an empty dist/: a file left by a renamed or deleted source must never ship.
const fs = require('node:fs');
const path = require('node:path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
