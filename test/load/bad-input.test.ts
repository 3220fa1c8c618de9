/**
 * Property-based: random message shapes, types, unicode, huge strings, path fragments and prototype keys
 * thrown at the participant update node. Each generated message is either valid by construction or a valid one
 * with one defect, so the test knows which outcome to expect without asking the code under test.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { helper, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { TOKEN } from './fault-mix';
import { Outcomes, RejectionWatch, SecretWatch, startLoadFlow, updateNode, type Msg, type Port } from './load-flow';

const RUNS = 1_000;
const conferenceSid = randomUUID();
const callSids = Array.from({ length: 5 }, () => randomUUID());

/** Anything a UUID check could accept, whitespace and case included: never used as a bad SID. */
const UUID_LIKE = /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i;
const UNSAFE_KEYS = ['__proto__', 'constructor', 'prototype'];
const OPTION_NAMES = [
  'muted',
  'hold',
  'holdUrl',
  'holdMethod',
  'announceUrl',
  'announceMethod',
  'waitUrl',
  'waitMethod',
  'coaching',
  'callSidToCoach',
];

// ---- values ---------------------------------------------------------------------------------------------

const huge = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((n) => 'a'.repeat(n * 100_000)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map((s) => s.repeat(20_000)),
);
const pathTricks = fc.oneof(
  fc.constantFrom(
    '../',
    '/',
    '%2e%2e',
    '%2e%2e%2f',
    '..%2f',
    '..',
    '.',
    '//',
    '\\..\\',
    '../../Accounts',
    '?Muted=true',
    '#',
  ),
  fc
    .tuple(
      fc.constantFrom(...callSids),
      fc.constantFrom('/../x', '/', '%2e%2e', '/..', '.json', '?a=b', '#x', ' /', '\u0000'),
    )
    .map(([sid, tail]) => sid + tail),
  fc.tuple(fc.constantFrom('../', '%2e%2e/', '/', './'), fc.constantFrom(...callSids)).map(([head, sid]) => head + sid),
);
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  pathTricks,
  huge,
);
/** Strings and other values that are not a SID. */
const notASid = fc.oneof(
  anyString.filter((s) => !UUID_LIKE.test(s)),
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const junk = fc.oneof(anyString, fc.anything({ maxDepth: 2 }));

const BOOL = [true, false, 'true', 'false'];
const validBool = fc.constantFrom(...BOOL);
const validUrl = fc.constantFrom(
  'https://example.com/hold.mp3',
  'http://cdn.example.org/music/wait.xml?x=1',
  'https://example.com/%C3%A9t%C3%A9.wav',
  // Typed by a person: sent percent-encoded.
  'https://example.com/hold music.mp3',
  'https://example.com/été.wav?voix=élodie',
);
const validMethod = fc.constantFrom('GET', 'POST', 'get', 'post', 'Post');

const bad = {
  bool: junk.filter((v) => v !== undefined && !BOOL.includes(v as never)),
  method: junk.filter((v) => v !== undefined && !(typeof v === 'string' && /^\s*(get|post)\s*$/i.test(v))),
  url: fc
    .oneof(
      fc.constantFrom(
        '../hold.mp3',
        '/hold.mp3',
        'hold.mp3',
        'ftp://example.com/a',
        'javascript:alert(1)',
        'file:///etc/passwd',
        '',
        '%2e%2e/',
      ),
      junk,
    )
    .filter((v) => v !== undefined && !(typeof v === 'string' && /^\s*https?:\/\//i.test(v))),
  sid: notASid.filter((v) => v !== undefined),
};
const badValueFor: Record<string, fc.Arbitrary<unknown>> = {
  muted: bad.bool,
  hold: bad.bool,
  coaching: bad.bool,
  holdUrl: bad.url,
  announceUrl: bad.url,
  waitUrl: bad.url,
  holdMethod: bad.method,
  announceMethod: bad.method,
  waitMethod: bad.method,
  callSidToCoach: bad.sid,
};

// ---- messages -------------------------------------------------------------------------------------------

interface Case {
  valid: boolean;
  why: string;
  msg: Msg;
}

/** Keys a flow might put beside the options; never an option name, never a prototype key. */
const extraKey = fc.string({ minLength: 1 }).filter((k) => !OPTION_NAMES.includes(k) && !UNSAFE_KEYS.includes(k));
const extras = fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

/** A valid message: a live participant and a non-empty set of valid options, with unrelated keys around. */
const validCase: fc.Arbitrary<Case> = fc
  .record({
    participant: fc.nat(callSids.length - 1),
    options: fc.record(
      {
        muted: validBool,
        hold: validBool,
        holdUrl: validUrl,
        holdMethod: validMethod,
        announceUrl: validUrl,
        announceMethod: validMethod,
        waitUrl: validUrl,
        waitMethod: validMethod,
      },
      { requiredKeys: [] },
    ),
    coaching: fc.constantFrom('none', 'off', 'on'),
    extras,
    topic: fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }),
  })
  .filter(({ options, coaching }) => Object.keys(options).length > 0 || coaching !== 'none')
  .map(({ participant, options, coaching, extras, topic }) => {
    const payload: Record<string, unknown> = { ...extras, ...options };
    if (coaching === 'off') payload.coaching = false;
    if (coaching === 'on') {
      payload.coaching = true;
      payload.callSidToCoach = callSids[(participant + 1) % callSids.length];
    }
    return { valid: true, why: 'valid', msg: { conferenceSid, callSid: callSids[participant], payload, topic } };
  });

const withPayload = (c: Case, payload: unknown, why: string): Case => ({
  valid: false,
  why,
  msg: { ...c.msg, payload },
});

/** A valid message with exactly one defect. */
const invalidCase: fc.Arbitrary<Case> = validCase.chain((base) =>
  fc.oneof(
    notASid.map((sid) => ({ valid: false, why: 'conferenceSid', msg: { ...base.msg, conferenceSid: sid } })),
    notASid.map((sid) => ({ valid: false, why: 'callSid', msg: { ...base.msg, callSid: sid } })),
    fc
      .oneof(
        anyString,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(fc.anything(), { maxLength: 3 }),
        extras,
      )
      .map((payload) => withPayload(base, payload, 'payload without options')),
    fc
      .constantFrom(...Object.keys(badValueFor))
      .chain((name) =>
        badValueFor[name].map((value) => withPayload(base, { ...base.msg.payload, [name]: value }, `bad ${name}`)),
      ),
    fc.constant(
      withPayload(base, { ...base.msg.payload, coaching: true, callSidToCoach: undefined }, 'coaching without a call'),
    ),
    fc
      .tuple(fc.constantFrom(...UNSAFE_KEYS), fc.boolean(), fc.jsonValue({ maxDepth: 1 }))
      .map(([key, nested, value]) => {
        // JSON.parse makes "__proto__" an own key, as a message parsed from JSON would have it.
        const polluted = JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}}`) as object;
        const payload = nested
          ? { ...base.msg.payload, settings: polluted }
          : Object.assign(polluted, base.msg.payload);
        return withPayload(base, payload, `prototype key ${key}`);
      }),
  ),
);

// ---- the property ---------------------------------------------------------------------------------------

describe('random and hostile input to the participant update node', function () {
  this.timeout(120_000);

  let emulator: Emulator;
  let outcomes: Outcomes;
  let secrets: SecretWatch;
  let rejections: RejectionWatch;
  let nextId = 0;
  const seen = { valid: 0, invalid: 0 };

  async function outcomeOf(msg: Msg): Promise<{ port: Port; out: Msg; requests: number }> {
    const id = nextId++;
    const before = emulator.stats.requests;
    const outcome = outcomes.next(id);
    updateNode().receive({ ...msg, loadId: id } as never);
    // A liveness guard, not a speed check: it names the message that got no outcome (fast-check then shows it)
    // instead of ending in a bare test timeout.
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the message got no outcome within 30 s')), 30_000);
    });
    try {
      const { port, msg: out } = await Promise.race([outcome, silent]);
      return { port, out, requests: emulator.stats.requests - before };
    } finally {
      clearTimeout(timer);
    }
  }

  before(async () => {
    rejections = new RejectionWatch();
    await startRuntime();
    emulator = await startEmulator({
      token: TOKEN,
      seed: { conferences: [{ sid: conferenceSid, participants: callSids.map((callSid) => ({ callSid })) }] },
    });
    await startLoadFlow(emulator, { config: { retries: '0' } });
    secrets = new SecretWatch(emulator);
    outcomes = new Outcomes(RUNS * 20, secrets);
  });

  after(async () => {
    secrets?.stop();
    rejections?.stop();
    await helper.unload();
    await emulator?.close();
    await stopRuntime();
  });

  it('answers invalid input on output 2 with a message and no request; valid input reaches output 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ arbitrary: validCase, weight: 1 }, { arbitrary: invalidCase, weight: 3 }),
        async (c) => {
          const { port, out, requests } = await outcomeOf(c.msg);
          if (c.valid) {
            seen.valid++;
            assert.equal(port, 'ok', `valid input failed: ${JSON.stringify(out.error)}`);
            assert.equal(requests, 1);
            assert.equal(out.payload.call_sid, c.msg.callSid);
          } else {
            seen.invalid++;
            assert.equal(port, 'error', `input with ${c.why} was sent to SignalWire`);
            assert.equal(requests, 0, `input with ${c.why} made a request`);
            assert.equal(out.error?.source, 'validation');
            assert.equal(typeof out.error?.message, 'string');
            assert.ok(out.error.message.trim().length > 0, 'empty error message');
          }
        },
      ),
      // Counterexamples can hold strings of 300 000 characters: keep the report readable.
      {
        numRuns: RUNS,
        reporter: (details) => {
          if (details.failed) throw new Error(fc.defaultReportMessage(details)?.slice(0, 3000));
        },
      },
    );
    assert.ok(seen.valid > 0 && seen.invalid > 0, JSON.stringify(seen));
  });

  it('gave every message exactly one outcome and raised nothing unhandled', () => {
    assert.deepEqual(outcomes.missing(0, nextId), []);
    assert.deepEqual(outcomes.doubled, []);
    assert.equal(outcomes.unknown, 0);
    assert.deepEqual(rejections.seen, []);
  });

  it('never shows the token in an output, a status, a caught error or a log line', () => {
    assert.ok(secrets.checked >= nextId);
    assert.deepEqual(secrets.leaks, []);
  });
});
