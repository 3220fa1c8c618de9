/**
 * What the editor's Debug sidebar receives: each debug node's entry as the runtime publishes it to the editor,
 * after the debug node has applied its output setting (a property, the whole message or a JSONata expression,
 * `$env` included) and Node-RED has encoded it. Tests read the lines a user would read.
 */
import type { EventEmitter } from 'node:events';
import helper from 'node-red-node-test-helper';

export interface SidebarEntry {
  /** The debug node's name. */
  name: string;
  /** msg.topic, shown above the entry. */
  topic?: string;
  /** A string as shown (without quotes), or the encoded value of anything else. */
  msg: string;
  /** e.g. `string[10]`, `Object`. */
  format: string;
}

/** The runtime's event bus, on which the debug node publishes what the editor shows. */
function runtimeEvents(): EventEmitter {
  return (helper as unknown as { _events: EventEmitter })._events;
}

export class DebugSidebar {
  readonly entries: SidebarEntry[] = [];
  private waiters: Array<() => void> = [];
  private readonly listener = (event: { topic: string; data: SidebarEntry & { id?: string } }) => {
    // Log messages come without a node id; only debug nodes' entries have one.
    if (event.topic !== 'debug' || !event.data.id) return;
    this.entries.push(event.data);
    for (const wake of this.waiters.splice(0)) wake();
  };

  constructor() {
    runtimeEvents().on('comms', this.listener);
  }

  close(): void {
    runtimeEvents().off('comms', this.listener);
  }

  /** Resolves once `count` entries in all have arrived. */
  async until(count: number): Promise<void> {
    while (this.entries.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** The text of each entry so far, or only of the named debug node's, e.g. `["Bob: muted"]`. */
  lines(name?: string): string[] {
    return this.entries.filter((e) => name === undefined || e.name === name).map((e) => e.msg);
  }

  /** Forgets what came so far: the next click starts a fresh list. */
  clear(): void {
    this.entries.length = 0;
  }
}
