/**
 * What the emulator says about what it did not like: a cXML document it cannot run, a call's Url that did not
 * answer. Kept for the control API (`GET /__emulator/log`) and passed on as lines (the command line prints
 * them). It remembers the last MAX_ENTRIES.
 */
export interface LogEntry {
  /** ms since the epoch, on the emulator's clock. */
  time: number;
  level: 'info' | 'error';
  callSid?: string;
  message: string;
}

const MAX_ENTRIES = 1000;

export class EmulatorLog {
  readonly entries: LogEntry[] = [];

  constructor(
    private readonly now: () => number,
    private readonly onLine: ((line: string) => void) | undefined,
  ) {}

  error(message: string, callSid?: string): void {
    this.add({ time: this.now(), level: 'error', ...(callSid ? { callSid } : {}), message });
  }

  info(message: string, callSid?: string): void {
    this.add({ time: this.now(), level: 'info', ...(callSid ? { callSid } : {}), message });
  }

  clear(): void {
    this.entries.length = 0;
  }

  private add(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    const who = entry.callSid ? ` call ${entry.callSid}:` : '';
    this.onLine?.(`[${entry.level}]${who} ${entry.message}`);
  }
}
