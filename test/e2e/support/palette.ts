// Dropping a node from the palette as a person does: press on the entry, move, let go over the workspace.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

interface PaletteWindow {
  RED: { nodes: { filterNodes(filter: { type: string }): Array<{ id: string }> } };
}

const nodeIds = (page: Page, type: string): Promise<string[]> =>
  page.evaluate((t) => (window as unknown as PaletteWindow).RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);

/** The entry's box once it stops moving: after a load or a search the palette opens categories and scrolls. */
async function settledBox(entry: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await entry.boundingBox();
  for (let i = 0; i < 50; i++) {
    await entry.page().waitForTimeout(50);
    const now = await entry.boundingBox();
    if (last && now && last.x === now.x && last.y === now.y) return now;
    last = now;
  }
  assert.ok(last, 'the palette entry is visible');
  return last;
}

/**
 * Drags the palette entry of `type` onto the workspace at (x, y) and returns the id of the node the editor added.
 * A drag that dropped nothing (the entry moved under the pointer on a busy machine) is made once more, so a test
 * fails on what the editor does with the node, not on where the palette happened to be.
 */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<string> {
  const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
  for (let attempt = 1; ; attempt++) {
    await entry.scrollIntoViewIfNeeded();
    const box = await settledBox(entry);
    const before = await nodeIds(page, type);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x, y, { steps: 15 });
    await page.mouse.up();
    try {
      const added = await page.waitForFunction(
        ({ t, known }) =>
          (window as unknown as PaletteWindow).RED.nodes.filterNodes({ type: t }).find((n) => !known.includes(n.id))
            ?.id,
        { t: type, known: before },
        { timeout: 5000 },
      );
      return (await added.jsonValue()) as string;
    } catch (err) {
      if (attempt >= 2) throw new Error(`dragging ${type} from the palette added no node`, { cause: err });
    }
  }
}
