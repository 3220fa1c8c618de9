// Importing the package's example flows the way a user does: menu → Import → Examples.
import type { Page } from 'playwright-core';

/** Opens Import → Examples and imports the example with that name (Node-RED may then ask about nodes it has). */
export async function importExample(page: Page, name: string): Promise<void> {
  await page.evaluate(() =>
    (window as unknown as { RED: { actions: { invoke(action: string): void } } }).RED.actions.invoke(
      'core:show-examples-import-dialog',
    ),
  );
  const library = page.locator('.red-ui-clipboard-dialog-tab-library:visible');
  const example = library.locator('.red-ui-treeList-label-text', { hasText: new RegExp(`^${name}$`) });
  if (!(await example.isVisible())) {
    await library.locator('.red-ui-treeList-label-text', { hasText: '@callflows/node-red-signalwire' }).click();
  }
  await example.click();
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  await page.locator('#red-ui-clipboard-dialog-ok').waitFor({ state: 'hidden' });
}

/** The question Node-RED asks when an import holds nodes it already has; "Import copy" keeps those it has. */
export async function importCopy(page: Page): Promise<void> {
  const question = page.locator('.red-ui-notification', { hasText: 'already exist in your workspace' });
  await question.waitFor();
  await question.locator('button', { hasText: 'Import copy' }).click();
  await question.waitFor({ state: 'detached' });
}
