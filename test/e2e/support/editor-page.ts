// What a person does in the flow editor, as the browser tests do it: find a node, open and close its dialog, deploy.
import type { Locator, Page } from 'playwright-core';

/** The node on the workspace whose label reads `label`. */
export function flowNode(page: Page, label: string | RegExp): Locator {
  return page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group', {
    has: page.locator('.red-ui-flow-node-label text', { hasText: label }),
  });
}

/** Double-clicks the node and waits for its dialog. */
export async function openDialog(page: Page, label: string): Promise<void> {
  await flowNode(page, label).locator('rect.red-ui-flow-node').dblclick();
  await page.locator('.red-ui-tray').last().locator('#node-dialog-ok').waitFor();
}

/** Presses Done or Cancel and waits for the dialog to go. */
export async function closeDialog(page: Page, button: 'ok' | 'cancel'): Promise<void> {
  await page.locator(`#node-dialog-${button}`).click();
  await page.locator('.red-ui-tray').waitFor({ state: 'detached' });
}

/** Presses Deploy and waits until the editor says it deployed and has nothing left to deploy. */
export async function deploy(page: Page): Promise<void> {
  await page.locator('#red-ui-header-button-deploy').click();
  await page.locator('.red-ui-notification', { hasText: 'Successfully deployed' }).waitFor();
  await page.locator('#red-ui-header-button-deploy.disabled').waitFor();
}

/** The flows Node-RED has deployed, as its admin API gives them. */
export async function deployedFlows(editorUrl: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${editorUrl}/flows`, { headers: { 'Node-RED-API-Version': 'v1' } });
  return (await res.json()) as Array<Record<string, unknown>>;
}
