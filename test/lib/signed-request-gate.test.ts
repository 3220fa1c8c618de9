import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ReplayMemory } from '../../src/lib/webhooks/replay-memory';
import { checkAge } from '../../src/lib/webhooks/request-age';
import { RefusalLog, type RefusalLogEntry } from '../../src/lib/webhooks/refusal-log';
import {
  GATE_DEFAULTS,
  SignedRequestGate,
  type GateOutcome,
  type GateSettings,
} from '../../src/lib/webhooks/signed-request-gate';
import { sendsInClear } from '../../src/lib/webhooks/signed-url';
import { computeSignature, type FormField } from '../../src/lib/webhooks/webhook-signature';

import { ManualClock } from '../support/manual-clock';

const KEY = 'PSK_gate-test-key';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A clock that only moves when told; it starts on a real date (the cache reads 0 as "no time"). */
function manualClock(start = Date.UTC(2026, 11, 7, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
const stamp = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * A loopback server that puts every request through one gate, and answers with what the gate decided, so the
 * tests drive it with real requests, bodies and sockets.
 */
async function gateServer(settings: GateSettings) {
  const gate = new SignedRequestGate(settings);
  const server = http.createServer((req, res) => {
    const url = `http://${req.headers.host}${req.url}`;
    void gate.admit({ req, url }).then((outcome: GateOutcome) => {
      const text = outcome.kind === 'refused' ? outcome.refusal : outcome.kind;
      res.setHeader('Content-Type', 'text/plain');
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    gate,
    base,
    async post(path: string, fields: FormField[], options: { sign?: boolean; signedUrl?: string } = {}) {
      const url = `${base}${path}`;
      const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
      if (options.sign !== false)
        headers['X-SignalWire-Signature'] = computeSignature(KEY, options.signedUrl ?? url, fields);
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: new URLSearchParams(fields.map(([k, v]) => [k, v])),
      });
      return res.text();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('signed request gate', () => {
  describe('replay memory', () => {
    it('remembers a digest for its window, then forgets it; a repeat does not stretch the window', () => {
      const clock = manualClock();
      const memory = new ReplayMemory({ windowMs: 10 * MINUTE, max: 100, now: clock.now });
      assert.equal(memory.firstTime('a'), true);
      clock.advance(9 * MINUTE);
      assert.equal(memory.firstTime('a'), false);
      clock.advance(2 * MINUTE);
      assert.equal(memory.firstTime('a'), true, 'forgotten 10 minutes after it was first seen');
    });

    it('keeps one longer when asked to (until its timestamp leaves the tolerance)', () => {
      const clock = manualClock();
      const memory = new ReplayMemory({ windowMs: 10 * MINUTE, max: 100, now: clock.now });
      memory.firstTime('late-stamp', clock.now() + 30 * MINUTE);
      clock.advance(29 * MINUTE);
      assert.equal(memory.firstTime('late-stamp'), false);
    });

    it('holds no more than its bound, forgetting the oldest first', () => {
      const clock = manualClock();
      const memory = new ReplayMemory({ windowMs: 10 * MINUTE, max: 1000, now: clock.now });
      for (let i = 0; i < 5000; i++) memory.firstTime(`d${i}`);
      assert.equal(memory.size, 1000);
      assert.equal(memory.firstTime('d4999'), false);
      assert.equal(memory.firstTime('d0'), true);
    });

    it('after two days idle: everything from before is forgotten, and new requests are judged as on the first day', () => {
      const clock = manualClock();
      const memory = new ReplayMemory({ windowMs: 10 * MINUTE, max: 1000, now: clock.now });
      for (let i = 0; i < 1000; i++) memory.firstTime(`before-${i}`);
      clock.advance(48 * HOUR);
      assert.equal(memory.firstTime('before-0'), true);
      assert.equal(memory.firstTime('after'), true);
      clock.advance(MINUTE);
      assert.equal(memory.firstTime('after'), false);
      assert.equal(memory.firstTime('before-0'), false);
    });
  });

  describe('request age', () => {
    it('judges the stamp against the clock on both sides, switches off at 0, and cannot judge a missing one', () => {
      const now = Date.UTC(2026, 11, 7, 9, 0, 0);
      const tolerance = 15 * MINUTE;
      assert.deepEqual(checkAge(stamp(now - 14 * MINUTE), now, tolerance), { ok: true, stampedAt: now - 14 * MINUTE });
      assert.equal(checkAge(stamp(now + 14 * MINUTE), now, tolerance).ok, true);
      assert.deepEqual(checkAge(stamp(now - 2 * HOUR), now, tolerance), {
        ok: false,
        problem: 'stale',
        stampedAt: now - 2 * HOUR,
        offByMs: 2 * HOUR,
      });
      assert.equal(checkAge(stamp(now + 16 * MINUTE), now, tolerance).ok, false);
      assert.deepEqual(checkAge(stamp(now - 2 * HOUR), now, 0), { ok: true });
      assert.deepEqual(checkAge(undefined, now, tolerance), { ok: true });
      assert.deepEqual(checkAge('yesterday-ish', now, tolerance), {
        ok: false,
        problem: 'unreadable',
        text: 'yesterday-ish',
      });
    });
  });

  describe('admitting real requests', () => {
    it('admits once, answers a repeat as a repeat, refuses stale and unsigned ones, with an injected clock', async () => {
      const clock = manualClock();
      const server = await gateServer({ signingKey: KEY, verify: true, now: clock.now });
      try {
        const fields: FormField[] = [
          ['ConferenceSid', 'CF1'],
          ['StatusCallbackEvent', 'participant-join'],
          ['Timestamp', stamp(clock.now())],
        ];
        assert.equal(await server.post('/hook', fields), 'admitted');
        assert.equal(await server.post('/hook', fields), 'repeat');
        assert.equal(await server.post('/hook', fields, { sign: false }), 'unsigned');
        // Within the replay window and the tolerance: still a repeat.
        clock.advance(9 * MINUTE);
        assert.equal(await server.post('/hook', fields), 'repeat');
        // The window is over but the stamp is still within the tolerance: the memory kept it.
        clock.advance(5 * MINUTE);
        assert.equal(await server.post('/hook', fields), 'repeat');
        // After a long idle the stamp is what refuses it; a fresh callback is admitted as on the first day.
        clock.advance(6 * HOUR);
        assert.equal(await server.post('/hook', fields), 'stale');
        const fresh: FormField[] = [...fields.slice(0, 2), ['Timestamp', stamp(clock.now())]];
        assert.equal(await server.post('/hook', fresh), 'admitted');
        assert.equal(await server.post('/hook', fresh), 'repeat');
      } finally {
        await server.close();
      }
    });

    it('with the age check off, a repeat after the window is admitted again (nothing older is remembered)', async () => {
      const clock = manualClock();
      const server = await gateServer({ signingKey: KEY, verify: true, toleranceMs: 0, now: clock.now });
      try {
        const fields: FormField[] = [['CallSid', 'CA1']];
        assert.equal(await server.post('/voice', fields), 'admitted');
        clock.advance(10 * MINUTE + 1);
        assert.equal(await server.post('/voice', fields), 'admitted');
        assert.equal(server.gate.remembered, 1);
      } finally {
        await server.close();
      }
    });

    it('never takes two different signed requests for one, nor one request reworded for two', async () => {
      const clock = manualClock();
      const server = await gateServer({ signingKey: KEY, verify: true, now: clock.now });
      try {
        const value = fc.string({ unit: 'grapheme', maxLength: 6 });
        const stampNow = stamp(clock.now());
        const sent = new Set<string>();
        await fc.assert(
          fc.asyncProperty(
            // One value per name, so reordering the body keeps the signature (the values of a repeated name are signed in order).
            fc.uniqueArray(fc.tuple(fc.constantFrom('A', 'B', 'From', 'To'), value), {
              maxLength: 4,
              selector: ([name]) => name,
            }),
            async (extra) => {
              const fields: FormField[] = [['Timestamp', stampNow], ...(extra as FormField[])];
              const key = JSON.stringify([...fields].sort(([a], [b]) => (a < b ? -1 : 1)));
              // Admitted exactly when no request with these signed fields came before.
              assert.equal(await server.post('/p', fields), sent.has(key) ? 'repeat' : 'admitted', key);
              sent.add(key);
              // Reordered: same signature, same request.
              assert.equal(await server.post('/p', [...fields].reverse()), 'repeat');
            },
          ),
          { numRuns: 60 },
        );
      } finally {
        await server.close();
      }
    });
  });

  describe('refusal log', () => {
    it('writes the first refusal of each reason at once and the rest as one summary per interval, none lost', async () => {
      const clock = new ManualClock(Date.UTC(2026, 11, 7, 9, 0, 0));
      const written: Array<RefusalLogEntry<{ reason: string }>> = [];
      const log = new RefusalLog<{ reason: string }>((entry) => written.push(entry), { intervalMs: MINUTE, clock });
      log.note({ reason: 'unsigned' });
      for (let i = 0; i < 999; i++) log.note({ reason: i % 3 === 0 ? 'bad signature' : 'unsigned' });
      assert.deepEqual(written, [
        { kind: 'refusal', refusal: { reason: 'unsigned' } },
        { kind: 'refusal', refusal: { reason: 'bad signature' } },
      ]);
      await clock.advance(MINUTE);
      assert.deepEqual(written[2], { kind: 'summary', counts: { 'bad signature': 332, unsigned: 666 }, total: 998 });
      // Hours of quiet, then more: the first is written at once again.
      await clock.advance(5 * HOUR);
      log.note({ reason: 'unsigned' });
      assert.deepEqual(written[3], { kind: 'refusal', refusal: { reason: 'unsigned' } });
      log.note({ reason: 'unsigned' });
      assert.equal(written.length, 4);
      log.close();
      assert.deepEqual(written[4], { kind: 'summary', counts: { unsigned: 1 }, total: 1 });
      assert.equal(clock.pending, 0, 'closed, it leaves no timer behind');
    });
  });

  it('tells a public URL that travels in clear from one that stays on this machine', () => {
    assert.equal(sendsInClear('http://home.example.com/x'), true);
    assert.equal(sendsInClear('http://192.168.1.20:1880/x'), true);
    for (const url of [
      'https://home.example.com/x',
      'http://127.0.0.1:1880/x',
      'http://localhost/x',
      'http://[::1]:1880/x',
      '',
    ]) {
      assert.equal(sendsInClear(url), false, url);
    }
  });

  it('has the defaults the README and the help promise', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const help = fs
      .readFileSync(
        path.join(__dirname, '..', '..', 'nodes', 'locales', 'en-US', 'signalwire-conference-events.html'),
        'utf8',
      )
      .replace(/\s+/g, ' ');
    assert.equal(GATE_DEFAULTS.replayWindowMs, 10 * MINUTE);
    assert.equal(GATE_DEFAULTS.toleranceMs, 15 * MINUTE);
    assert.equal(GATE_DEFAULTS.bodyLimit, 64 * 1024);
    assert.equal(GATE_DEFAULTS.bodyDeadlineMs, 5000);
    assert.equal(GATE_DEFAULTS.replayMemoryMax, 50_000);
    for (const text of [readme, help]) {
      assert.match(text, /accepted in the last 10 minutes/);
      assert.match(text, /over 64 KiB/);
      assert.match(text, /(more|slower) than 5 s/);
    }
    assert.match(readme, /remembers at most 50 000/);
    assert.match(readme, /15 minutes by default/);
  });
});
