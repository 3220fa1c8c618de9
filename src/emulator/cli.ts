#!/usr/bin/env node
/** `signalwire-emulator --port 8080`: a local SignalWire Compatibility API for building flows without an account. */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER_MS } from './phone-numbers';
import { DEMO_SEED } from './seed';
import { startEmulator } from './server';

const USAGE = `Usage: signalwire-emulator [--port 8080] [--host 127.0.0.1] [--project-id UUID] [--token TOKEN]
       [--signing-key KEY] [--status-callback URL]`;

async function main(): Promise<void> {
  let values: {
    port?: string;
    host?: string;
    'project-id'?: string;
    token?: string;
    'signing-key'?: string;
    'status-callback'?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'project-id': { type: 'string' },
        token: { type: 'string' },
        'signing-key': { type: 'string' },
        'status-callback': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, got ${values.port}`);
    process.exit(2);
  }
  const host = values.host ?? '127.0.0.1';
  // Said before listening: anyone who can reach the port can reset the state and inject faults.
  if (!isLoopback(host)) {
    console.error(
      `Warning: --host ${host} lets other machines reach the emulator, and its control API (/__emulator/) ` +
        'has no authentication: anyone who can reach it can change its state. Use it only on a trusted network.',
    );
  }

  let emulator;
  try {
    const statusCallback = values['status-callback'];
    emulator = await startEmulator({
      port,
      host,
      projectId: values['project-id'],
      token: values.token,
      signingKey: values['signing-key'],
      ...(statusCallback ? { statusCallback: { statusCallback } } : {}),
      // cXML it cannot run, a call's Url that fails: said where the person running it looks.
      onLog: (line) => console.error(line),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`Port ${port} on ${host} is already in use: try --port ${port + 1}.`);
    else if (code === 'EADDRNOTAVAIL') console.error(`Cannot listen on ${host}: use an address of this machine.`);
    else console.error(`The emulator could not start: ${(error as Error).message}`);
    process.exit(1);
  }

  const lines = [
    `SignalWire Compatibility API emulator listening on ${emulator.url}`,
    '',
    `  Space       ${emulator.url}`,
    `  Project ID  ${emulator.projectId}`,
    `  API token   ${emulator.token}`,
    `  Signing Key ${emulator.signingKey}   (signs every request it makes: callbacks, cXML fetches)`,
    `  Phone numbers ${emulator.numbers
      .list()
      .map((n) => n.phoneNumber)
      .join(', ')}   (a call's From must be one of them)`,
    '',
    `A call placed to any number is answered after ${DEFAULT_ANSWER_MS} ms; PUT /__emulator/numbers/{number} changes that.`,
    '',
    'Seeded conferences and participants (Conference SID / Call SID):',
  ];
  for (const conference of DEMO_SEED.conferences) {
    lines.push(`  ${conference.friendlyName} (${conference.status})  ${conference.sid}`);
    for (const participant of conference.participants ?? []) {
      lines.push(`    ${(participant.label ?? '').padEnd(18)} ${participant.callSid}`);
    }
  }
  lines.push(
    '',
    'In Node-RED, create a SignalWire config node with Space = the URL above, and the Project ID and token.',
    `State: ${emulator.url}/__emulator/state   Press Ctrl-C to stop.`,
  );
  console.log(lines.join('\n'));
  // Where each status callback went (a conference's events, a call's progress), so one that reached an
  // unexpected URL can be traced.
  emulator.callbacks.log = (line) => console.log(line);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

void main();
