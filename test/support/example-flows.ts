import fs from 'node:fs';
import path from 'node:path';

/** The package's own examples, as Node-RED's import menu lists them. */
export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** An example flow as shipped: `<dir>/<name>.json`. */
export function readExample<T = Record<string, unknown>>(name: string, dir = EXAMPLES_DIR): T[] {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as T[];
}
