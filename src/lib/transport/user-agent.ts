import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `@callflows/node-red-signalwire/<version>`, so SignalWire support can tell our traffic apart. Read from the
 * package.json three levels up, which holds both from `src/lib/transport` (tests) and from `dist/lib/transport`
 * (installed).
 */
export const USER_AGENT = readPackageName();

function readPackageName(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    const name = typeof pkg.name === 'string' ? pkg.name : '@callflows/node-red-signalwire';
    const version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    return `${name}/${version}`;
  } catch {
    return '@callflows/node-red-signalwire/unknown';
  }
}
