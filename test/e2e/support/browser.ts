// Debian's Chromium driven by playwright-core: no browser is ever downloaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Without Chromium the browser tests cannot run: on CI that is a failure, on a workstation a skip that says
 * how to install it.
 */
export function requireChromium(context: Mocha.Context): void {
  if (fs.existsSync(chromiumPath)) return;
  if (process.env.CI) {
    throw new Error(`${chromiumPath} is missing: install it with \`apt-get install -y chromium\` (.ci/run does).`);
  }
  console.log(`    skipped: ${chromiumPath} is missing; install it with \`sudo apt-get install -y chromium\`.`);
  context.skip();
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
