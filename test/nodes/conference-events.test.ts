import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import type { Request, Response } from 'express';
import type { Node } from 'node-red';
import { DEMO_SIDS } from '../../src/emulator/index';
import { helper, signalwireNodes, startRuntime, stopRuntime } from '../support/node-red-runtime';
import { captureNodeApp, joinFields, NodeHttpServer, postForm, sign, withField, type Fields } from './events-kit';
import { Recorder, settle, statusesOf, type FlowNode } from './flow-kit';

const KEY = 'PSK_events-test-key-7c1d9e';
const OTHER_KEY = 'PSK_someone-else-0000';
const TOKEN = 'PT-events-token-5e4d3c2b1a';
const PATH = '/signalwire/conference-events';
const CONFERENCE = DEMO_SIDS.weeklySync;
const ERIN = DEMO_SIDS.erin;

function eventsFlow(node: Record<string, unknown> = {}, extra: FlowNode[] = []): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', type: 'signalwire-config', space: 'http://127.0.0.1:9' },
    {
      id: 'ev',
      type: 'signalwire-conference-events',
      z: 'tab',
      signalwire: 'cfg',
      path: PATH,
      wires: [['out']],
      ...node,
    },
    { id: 'out', type: 'helper', z: 'tab', wires: [] },
    ...extra,
  ];
}

const nodes = [...signalwireNodes, captureNodeApp];

async function deploy(flow: FlowNode[], signingKey: string | null = KEY): Promise<Recorder> {
  const credentials = { cfg: { projectId: DEMO_SIDS.alice, token: TOKEN, ...(signingKey ? { signingKey } : {}) } };
  await helper.load(nodes, flow, credentials);
  return new Recorder(['out']);
}

/** Log lines as the runtime received them (helper.log() spies on the runtime's log). */
function logLines(): string[] {
  return helper
    .log()
    .getCalls()
    .map((call) => inspect(call.args, { depth: 5 }));
}

describe('conference events node', function () {
  let server: NodeHttpServer;
  let url: string;
  const savedKey = process.env.SIGNALWIRE_SIGNING_KEY;

  before(async () => {
    await startRuntime();
    server = await new NodeHttpServer().listen();
    url = `${server.url}${PATH}`;
    delete process.env.SIGNALWIRE_SIGNING_KEY;
  });
  after(async () => {
    await server.close();
    await stopRuntime();
    if (savedKey !== undefined) process.env.SIGNALWIRE_SIGNING_KEY = savedKey;
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it('answers 204 to a signed participant-join and sends one clean message', async () => {
    const out = await deploy(eventsFlow());
    const sent = joinFields(CONFERENCE, ERIN, [['From', '']]);
    const res = await postForm(url, sent, { key: KEY });
    assert.deepEqual(res, { status: 204, text: '' });
    await out.until(1, 'out');
    const msg = out.got.out![0]!;
    assert.equal(msg.topic, 'participant-join');
    assert.equal(msg.conferenceSid, CONFERENCE);
    assert.equal(msg.callSid, ERIN);
    assert.deepEqual(msg.payload, {
      event: 'participant-join',
      conferenceSid: CONFERENCE,
      friendlyName: 'Weekly sync',
      callSid: ERIN,
      muted: false,
      hold: false,
      startConferenceOnEnter: false,
      endConferenceOnExit: false,
      timestamp: sent.find(([k]) => k === 'Timestamp')![1],
      sequenceNumber: 4,
      params: Object.fromEntries(sent),
    });
    assert.deepEqual(statusesOf('ev').at(-1), { fill: 'green', shape: 'dot', text: 'joined (1)' });
  });

  it('accepts X-Twilio-Signature too, and puts no callSid on top for a conference event', async () => {
    const out = await deploy(eventsFlow());
    const start: Fields = [
      ['ConferenceSid', CONFERENCE],
      ['StatusCallbackEvent', 'conference-start'],
      ['CallSid', ERIN],
    ];
    const res = await postForm(url, start, { key: KEY, header: 'X-Twilio-Signature' });
    assert.equal(res.status, 204);
    await out.until(1, 'out');
    assert.equal(out.got.out![0]!.topic, 'conference-start');
    assert.equal('callSid' in out.got.out![0]!, false);
    assert.equal(out.got.out![0]!.payload.callSid, ERIN);
  });

  describe("a call's own progress (it names no conference)", () => {
    /** A call status callback as SignalWire sends it to the StatusCallback a call was created with. */
    const progress = (status: string, sequence: number): Fields => [
      ['AccountSid', '5a1c7e2d-3b4f-4c8a-9d6e-0f1a2b3c4d5e'],
      ['ApiVersion', '2010-04-01'],
      ['CallbackSource', 'call-progress-events'],
      ['CallSid', ERIN],
      ['CallStatus', status],
      ['Direction', 'outbound-api'],
      ['From', '+15550100100'],
      ['To', '+15551230006'],
      ['SequenceNumber', String(sequence)],
      ['Timestamp', new Date().toUTCString().replace('GMT', '+0000')],
    ];

    it('passes on one message per status, topic call-…, with the call and no conference', async () => {
      const out = await deploy(eventsFlow());
      const statuses = ['initiated', 'ringing', 'in-progress', 'no-answer'];
      for (const [i, status] of statuses.entries()) {
        assert.equal((await postForm(url, progress(status, i), { key: KEY })).status, 204, status);
      }
      await out.until(4, 'out');
      assert.deepEqual(
        out.got.out!.map((m) => m.topic),
        ['call-initiated', 'call-ringing', 'call-answered', 'call-no-answer'],
      );
      const last = out.got.out![3]!;
      assert.equal(last.callSid, ERIN);
      assert.equal('conferenceSid' in last, false);
      assert.deepEqual(
        [last.payload.callStatus, last.payload.to, last.payload.sequenceNumber],
        ['no-answer', '+15551230006', 3],
      );
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'green', shape: 'dot', text: 'no answer (4)' });
    });

    it('checks them as it checks the room’s events: unsigned 403, a repeat once, a broken one 400', async () => {
      const out = await deploy(eventsFlow());
      assert.equal((await postForm(url, progress('ringing', 1))).status, 403);
      assert.equal((await postForm(url, progress('ringing', 1), { key: OTHER_KEY })).status, 403);
      // One callback delivered twice: built once, as its Timestamp is the second it was made in.
      const ringing = progress('ringing', 1);
      assert.equal((await postForm(url, ringing, { key: KEY })).status, 204);
      assert.equal((await postForm(url, ringing, { key: KEY })).status, 204);
      const noCall = progress('ringing', 2).filter(([name]) => name !== 'CallSid');
      const broken = await postForm(url, noCall, { key: KEY });
      assert.deepEqual([broken.status, broken.text], [400, 'Not a status callback, missing: CallSid']);
      await out.until(1, 'out');
      await settle();
      assert.equal(out.count('out'), 1);
    });

    it('filters them like any event: ticked call-no-answer passes, the rest is acknowledged and dropped', async () => {
      const out = await deploy(eventsFlow({ events: ['call-no-answer', 'participant-join'] }));
      for (const [i, status] of ['ringing', 'no-answer'].entries()) {
        assert.equal((await postForm(url, progress(status, i), { key: KEY })).status, 204);
      }
      assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
      await out.until(2, 'out');
      await settle();
      assert.deepEqual(
        out.got.out!.map((m) => m.topic),
        ['call-no-answer', 'participant-join'],
      );
      // Known names: no warning about a typo.
      const warnings = (helper.getNode('ev') as unknown as { warn: { getCalls(): unknown[] } }).warn.getCalls();
      assert.equal(warnings.length, 0);
    });
  });

  it('refuses with 403 and sends nothing: unsigned, wrong, other key, other URL, changed field', async () => {
    const out = await deploy(eventsFlow());
    const fields = joinFields(CONFERENCE, ERIN);
    const changed = fields.map(([k, v]) => [k, k === 'Muted' ? 'true' : v] as [string, string]);
    type Case = [string, () => Promise<{ status: number; text: string }>, string];
    const cases: Case[] = [
      ['unsigned', () => postForm(url, fields), 'unsigned'],
      ['garbage', () => postForm(url, fields, { signature: 'bm90IGEgc2lnbmF0dXJl' }), 'bad signature'],
      ['other key', () => postForm(url, fields, { key: OTHER_KEY }), 'bad signature'],
      ['token as key', () => postForm(url, fields, { key: TOKEN }), 'bad signature'],
      [
        'other URL',
        () => postForm(url, fields, { key: KEY, signedUrl: 'https://evil.example/signalwire/conference-events' }),
        'bad signature',
      ],
      ['changed field', () => postForm(url, changed, { signature: sign(KEY, url, fields) }), 'bad signature'],
    ];
    for (const [index, [name, deliver, reason]] of cases.entries()) {
      // Each refusal follows an accepted event (a new one: a repeat is not passed on), so the status it
      // leaves is its own: the reason, and how many were refused so far.
      await postForm(url, withField(fields, 'SequenceNumber', String(index)), { key: KEY });
      assert.equal(statusesOf('ev').at(-1)?.fill, 'green', name);
      const res = await deliver();
      assert.equal(res.status, 403, name);
      assert.deepEqual(statusesOf('ev').at(-1), { fill: 'red', shape: 'ring', text: `${reason} ×${index + 1}` }, name);
    }
    // Only the accepted deliveries came out, and none of the changed ones.
    await out.until(cases.length, 'out');
    await settle();
    assert.equal(out.count('out'), cases.length);
    assert.ok(out.got.out!.every((m) => m.payload.muted === false));
  });

  it('refuses a delivery signed for another path (a replay to this one)', async () => {
    const other = '/signalwire/other-events';
    const out = await deploy(
      eventsFlow({}, [
        { id: 'ev2', type: 'signalwire-conference-events', z: 'tab', signalwire: 'cfg', path: other, wires: [['out']] },
      ]),
    );
    const fields = joinFields(CONFERENCE, ERIN);
    const signedForOther = sign(KEY, `${server.url}${other}`, fields);
    assert.equal((await postForm(`${server.url}${other}`, fields, { signature: signedForOther })).status, 204);
    assert.equal((await postForm(url, fields, { signature: signedForOther })).status, 403);
    await settle();
    assert.equal(out.count('out'), 1);
  });

  it('answers 204 to an event filtered out and passes on only the chosen ones', async () => {
    const out = await deploy(eventsFlow({ events: ['participant-join'] }));
    const leave = joinFields(CONFERENCE, ERIN).map(
      ([k, v]) => [k, k === 'StatusCallbackEvent' ? 'participant-leave' : v] as [string, string],
    );
    assert.equal((await postForm(url, leave, { key: KEY })).status, 204);
    assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
    await out.until(1, 'out');
    await settle();
    assert.deepEqual(
      out.got.out!.map((m) => m.topic),
      ['participant-join'],
    );
  });

  it('warns at deploy about an event name SignalWire does not document (a typo would filter everything out)', async () => {
    await deploy(eventsFlow({ events: ['participant-join', 'participant-joined'] }));
    const warnings = (
      helper.getNode('ev') as unknown as { warn: { getCalls(): Array<{ args: unknown[] }> } }
    ).warn.getCalls();
    assert.deepEqual(
      warnings.map((c) => String(c.args[0])),
      ['SignalWire does not document the event participant-joined: check its spelling, or no such event will pass.'],
    );
  });

  it('answers 400 to a signed request that is not a status callback, 413 to a large body', async () => {
    const out = await deploy(eventsFlow());
    const noSid: Fields = [['StatusCallbackEvent', 'participant-join']];
    const res = await postForm(url, noSid, { key: KEY });
    assert.equal(res.status, 400);
    assert.match(res.text, /ConferenceSid/);
    assert.equal(statusesOf('ev').at(-1)?.text, 'not an event ×1');
    const big: Fields = [...joinFields(CONFERENCE, ERIN), ['Pad', 'x'.repeat(70 * 1024)]];
    const tooLarge = await postForm(url, big, { key: KEY });
    assert.equal(tooLarge.status, 413);
    assert.equal(statusesOf('ev').at(-1)?.text, 'too large ×2');
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-SignalWire-Signature': sign(KEY, url) },
      body: '{"ConferenceSid":"x"}',
    });
    assert.equal(json.status, 400);
    await settle();
    assert.equal(out.count('out'), 0);
  });

  it('copes with a sender that hangs up mid-body, and with a chunked body that grows too large', async () => {
    const out = await deploy(eventsFlow());
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n`);
        socket.write('Content-Length: 1000\r\n\r\nConferenceSid=abc', () => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 80; i++) yield Buffer.alloc(1024, 'a');
      })(),
    );
    const streamed = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-SignalWire-Signature': sign(KEY, url) },
      body: Readable.toWeb(chunks) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
    await out.until(1, 'out');
    await settle();
    assert.equal(out.count('out'), 1);
  });

  it('lets a signed sender hang up mid-body without an error in the log or a message', async () => {
    const out = await deploy(eventsFlow());
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
        socket.write(
          `Content-Type: application/x-www-form-urlencoded\r\nX-SignalWire-Signature: ${sign(KEY, url)}\r\n`,
        );
        socket.write('Content-Length: 1000\r\n\r\nConferenceSid=abc', () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on('close', () => resolve());
    });
    // The next callback, on a new connection, is handled after the first one's end.
    assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
    await out.until(1, 'out');
    await settle();
    const node = helper.getNode('ev') as unknown as { error: { getCalls(): Array<{ args: unknown[] }> } };
    assert.deepEqual(
      node.error.getCalls().map((c) => String(c.args[0])),
      [],
    );
    assert.equal(out.count('out'), 1);
  });

  it('passes nothing on from a callback whose body was still arriving when the node stopped', async () => {
    // httpNodeMiddleware runs just before the node's route: once it has, the node is reading the body.
    let arrived!: () => void;
    const reading = new Promise<void>((resolve) => (arrived = resolve));
    helper.settings({
      httpNodeMiddleware: (_req: Request, _res: Response, next: () => void) => {
        arrived();
        next();
      },
    });
    const out = await deploy(eventsFlow());
    const fields = joinFields(CONFERENCE, ERIN);
    const body = new URLSearchParams(fields).toString();
    const { port } = new URL(url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `X-SignalWire-Signature: ${sign(KEY, url, fields)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n` +
        body.slice(0, 10),
    );
    await reading;
    const ev = helper.getNode('ev') as unknown as { send: { callCount: number } };
    await helper.unload();
    socket.end(body.slice(10));
    await closed;
    await settle();
    assert.equal(ev.send.callCount, 0, 'sent by a stopped node');
    assert.equal(out.count('out'), 0);
    assert.match(answer, /^HTTP\/1\.1 503 /);
  });

  it('takes GET callbacks with the fields in the signed query', async () => {
    const out = await deploy(eventsFlow());
    const query = new URLSearchParams(joinFields(CONFERENCE, ERIN)).toString();
    const full = `${url}?${query}`;
    const res = await fetch(full, { headers: { 'X-SignalWire-Signature': sign(KEY, full) } });
    assert.equal(res.status, 204);
    const forged = await fetch(full.replace('Muted=false', 'Muted=true'), {
      headers: { 'X-SignalWire-Signature': sign(KEY, full) },
    });
    assert.equal(forged.status, 403);
    await out.until(1, 'out');
    await settle();
    assert.equal(out.count('out'), 1);
    assert.equal(out.got.out![0]!.payload.callSid, ERIN);
  });

  it('checks the signature against bodySHA256 when the URL carries it', async () => {
    await deploy(eventsFlow());
    const body = new URLSearchParams(joinFields(CONFERENCE, ERIN)).toString();
    const signedUrl = `${url}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const send = (sent: string) =>
      postForm(signedUrl, [], { signature: sign(KEY, signedUrl), body: sent }).then((r) => r.status);
    assert.equal(await send(body), 204);
    assert.equal(await send(body.replace('Muted=false', 'Muted=true')), 403);
  });

  it('checks against the public URL when one is set, and not against the local address', async () => {
    const publicUrl = 'https://home.example.com/hooks/conference';
    const out = await deploy(eventsFlow({ publicUrl }));
    const fields = joinFields(CONFERENCE, ERIN);
    assert.equal(
      (await postForm(`${url}?tenant=a`, fields, { key: KEY, signedUrl: `${publicUrl}?tenant=a` })).status,
      204,
    );
    assert.equal(
      (await postForm(url, fields, { key: KEY, signedUrl: 'https://home.example.com:443/hooks/conference' })).status,
      204,
    );
    assert.equal((await postForm(url, fields, { key: KEY })).status, 403);
    assert.equal(
      (await postForm(`${url}?tenant=b`, fields, { key: KEY, signedUrl: `${publicUrl}?tenant=a` })).status,
      403,
    );
    await out.until(2, 'out');
    await settle();
    assert.equal(out.count('out'), 2);
  });

  it('honours httpNodeRoot: the signed URL includes it', async () => {
    const rooted = await new NodeHttpServer('/red').listen();
    try {
      const out = await deploy(eventsFlow());
      const fields = joinFields(CONFERENCE, ERIN);
      const full = `${rooted.url}${PATH}`;
      assert.match(full, /\/red\/signalwire\//);
      assert.equal((await postForm(full, fields, { key: KEY })).status, 204);
      assert.equal((await postForm(full, fields, { key: KEY, signedUrl: full.replace('/red', '') })).status, 403);
      await out.until(1, 'out');
    } finally {
      await rooted.close();
    }
  });

  it('runs httpNodeMiddleware first, as Node-RED runs it for its own http in node', async () => {
    // A middleware that asks for Basic auth on node endpoints, except the path SignalWire signs.
    const expected = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
    helper.settings({
      httpNodeMiddleware: (req: Request, res: Response, next: () => void) => {
        if (req.path === '/signalwire/conference-events') return next();
        if (req.headers.authorization === expected) return next();
        res.set('WWW-Authenticate', 'Basic').sendStatus(401);
      },
    });
    const out = await deploy(
      eventsFlow({}, [
        {
          id: 'ev2',
          type: 'signalwire-conference-events',
          z: 'tab',
          signalwire: 'cfg',
          path: '/guarded',
          wires: [['out']],
        },
      ]),
    );
    const fields = joinFields(CONFERENCE, ERIN);
    const guarded = `${server.url}/guarded`;
    assert.equal((await postForm(guarded, fields, { key: KEY })).status, 401);
    const withAuth = await fetch(guarded, {
      method: 'POST',
      headers: {
        Authorization: expected,
        'X-SignalWire-Signature': sign(KEY, guarded, fields),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(withAuth.status, 204);
    assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
    assert.equal((await postForm(url, fields)).status, 403); // still signed-only
    await out.until(2, 'out');
    await settle();
    assert.equal(out.count('out'), 2);
  });

  it('sends exactly one message per accepted delivery in a burst of good and bad ones', async () => {
    const out = await deploy(eventsFlow());
    const deliveries = Array.from({ length: 60 }, (_, i) => {
      const fields = joinFields(CONFERENCE, ERIN, [['SequenceNumber', String(i)]]).filter(
        ([k], index, all) => k !== 'SequenceNumber' || index === all.length - 1,
      );
      const kind = i % 3;
      return postForm(url, fields, kind === 0 ? { key: KEY } : kind === 1 ? { key: OTHER_KEY } : {});
    });
    const answers = await Promise.all(deliveries);
    const accepted = answers.filter((a) => a.status === 204).length;
    assert.equal(accepted, 20);
    assert.equal(answers.filter((a) => a.status === 403).length, 40);
    await out.until(20, 'out');
    await settle();
    assert.equal(out.count('out'), 20);
    const sequences = out.got.out!.map((m) => m.payload.sequenceNumber as number).sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: 20 }, (_, i) => i * 3),
    );
  });

  it('shows a duplicate path as an error on both nodes, and serves it again once one moves', async () => {
    const second = {
      id: 'ev2',
      type: 'signalwire-conference-events',
      z: 'tab',
      signalwire: 'cfg',
      path: `${PATH}/`,
      wires: [['out']],
    };
    const out = await deploy(eventsFlow({}, [second]));
    for (const id of ['ev', 'ev2']) {
      assert.deepEqual(statusesOf(id).at(-1), { fill: 'red', shape: 'ring', text: 'path in use' });
      const errors = (
        helper.getNode(id) as unknown as { error: { getCalls(): Array<{ args: unknown[] }> } }
      ).error.getCalls();
      assert.ok(
        errors.some((c) => /already serves \/signalwire\/conference-events/.test(String(c.args[0]))),
        id,
      );
    }
    const fields = joinFields(CONFERENCE, ERIN);
    assert.equal((await postForm(url, fields, { key: KEY })).status, 500);
    await settle();
    assert.equal(out.count('out'), 0);

    // Only the second node changes: the first one is told it is alone again.
    await helper.setFlows(eventsFlow({}, [{ ...second, path: '/elsewhere' }]), 'nodes');
    assert.deepEqual(statusesOf('ev').at(-1), { fill: 'green', shape: 'ring', text: 'listening' });
    assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
  });

  it('removes its route on redeploy: the old path answers 404, the new one serves', async () => {
    await deploy(eventsFlow());
    const fields = joinFields(CONFERENCE, ERIN);
    assert.equal((await postForm(url, fields, { key: KEY })).status, 204);
    await helper.setFlows(eventsFlow({ path: '/moved' }), 'full');
    assert.equal((await postForm(url, fields, { key: KEY })).status, 404);
    const moved = `${server.url}/moved`;
    assert.equal((await postForm(moved, fields, { key: KEY })).status, 204);
    await helper.unload();
    assert.equal((await postForm(moved, fields, { key: KEY })).status, 404);
  });

  it('with the check off: accepts unsigned events, shows yellow and warns on every deploy', async () => {
    for (const round of [1, 2]) {
      const out = await deploy(eventsFlow({ verify: false }));
      assert.deepEqual(statusesOf('ev')[0], { fill: 'yellow', shape: 'ring', text: 'not verified' }, `deploy ${round}`);
      const warnings = (
        helper.getNode('ev') as unknown as { warn: { getCalls(): Array<{ args: unknown[] }> } }
      ).warn.getCalls();
      assert.ok(
        warnings.some((c) => /Signature check is OFF/.test(String(c.args[0]))),
        `deploy ${round}`,
      );
      assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN))).status, 204);
      await out.until(1, 'out');
      assert.equal(statusesOf('ev').at(-1)?.fill, 'yellow');
      await helper.unload();
    }
  });

  it('with the check on and no signing key anywhere, refuses everything', async () => {
    const out = await deploy(eventsFlow(), null);
    assert.deepEqual(statusesOf('ev')[0], { fill: 'red', shape: 'ring', text: 'no signing key' });
    for (const key of [KEY, '', OTHER_KEY]) {
      assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), key ? { key } : {})).status, 403);
    }
    await settle();
    assert.equal(out.count('out'), 0);
  });

  it('takes the signing key from SIGNALWIRE_SIGNING_KEY when the connection has none', async () => {
    process.env.SIGNALWIRE_SIGNING_KEY = KEY;
    try {
      const out = await deploy(eventsFlow(), null);
      assert.equal((await postForm(url, joinFields(CONFERENCE, ERIN), { key: KEY })).status, 204);
      await out.until(1, 'out');
    } finally {
      delete process.env.SIGNALWIRE_SIGNING_KEY;
    }
  });

  it('never shows the signing key or the token in messages, statuses, logs or answers', async () => {
    const seen: string[] = [];
    const out = await deploy(
      eventsFlow({}, [
        {
          id: 'ev-off',
          type: 'signalwire-conference-events',
          z: 'tab',
          signalwire: 'cfg',
          path: '/off',
          verify: false,
          wires: [['out']],
        },
      ]),
    );
    const fields = joinFields(CONFERENCE, ERIN);
    for (const options of [{ key: KEY }, { key: OTHER_KEY }, {}, { key: TOKEN }]) {
      const res = await postForm(url, fields, options);
      seen.push(res.text);
    }
    seen.push((await postForm(url, [['x', KEY]], { key: KEY })).text);
    seen.push((await postForm(`${server.url}/off`, fields)).text);
    await out.until(2, 'out');
    await settle();
    for (const id of ['ev', 'ev-off', 'cfg']) {
      const node = helper.getNode(id) as unknown as Record<string, { getCalls(): Array<{ args: unknown[] }> }>;
      for (const method of ['status', 'error', 'warn', 'log', 'send']) {
        for (const call of typeof node[method]?.getCalls === 'function' ? node[method].getCalls() : [])
          seen.push(inspect(call.args, { depth: 8 }));
      }
      // The config node holds its credentials by Node-RED's design; the events nodes must hold no copy.
      if (id !== 'cfg')
        seen.push(inspect(helper.getNode(id), { depth: 2 }), JSON.stringify(helper.getNode(id) as Node));
    }
    seen.push(...logLines());
    for (const msg of out.got.out!) seen.push(inspect(msg, { depth: 8 }), JSON.stringify(msg));
    assert.ok(seen.length > 20, `scanned ${seen.length} items`);
    const leaks = seen.filter((text) => text.includes(KEY) || text.includes(TOKEN));
    assert.deepEqual(leaks, []);
  });
});
