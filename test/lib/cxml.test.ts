import assert from 'node:assert/strict';
import { DOMParser } from '@xmldom/xmldom';
import { DEMO_NUMBERS, ManualClock, startEmulator, type Emulator } from '../../src/emulator';
import {
  buildCxml,
  createCall,
  joinUrl,
  readJoinUrl,
  SignalWireClient,
  SignalWireError,
  type JoinOptions,
} from '../../src/lib';
import { checkSignature } from '../../src/lib/webhooks/webhook-signature';
import { startRecordingServer, type RecordingServer } from '../support/recording-server';
import { until } from '../emulator/http';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** The text of the first element by that name, read by an XML parser. */
function textOf(xml: string, tag: string): string | null {
  return new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagName(tag)[0]!.textContent;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SignalWireError);
    assert.equal(error.source, 'validation');
    return error.message;
  }
  assert.fail('expected a validation error');
}

describe('cXML: answering a call', () => {
  it('joins a room with every join attribute, the room events going to one URL with every event', () => {
    const xml = buildCxml({
      action: 'join',
      room: 'Front door',
      muted: true,
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'onEnter',
      waitUrl: 'https://media.example.com/wait.mp3',
      statusCallback: 'https://home.example.com/signalwire/events?node=a&b=1',
    });
    assert.equal(
      xml,
      `${HEAD}<Response><Dial><Conference muted="true" startConferenceOnEnter="false" endConferenceOnExit="true" ` +
        'beep="onEnter" waitUrl="https://media.example.com/wait.mp3" ' +
        'statusCallback="https://home.example.com/signalwire/events?node=a&amp;b=1" statusCallbackMethod="POST" ' +
        'statusCallbackEvent="start end join leave mute hold speaker">Front door</Conference></Dial></Response>',
    );
  });

  it('writes only the options that are set; beep false, and an empty waitUrl for silence', () => {
    assert.equal(
      buildCxml({ action: 'join', room: 'Weekly sync' }),
      `${HEAD}<Response><Dial><Conference>Weekly sync</Conference></Dial></Response>`,
    );
    assert.equal(
      buildCxml({ action: 'join', room: 'R', beep: 'false', waitUrl: '' }),
      `${HEAD}<Response><Dial><Conference beep="false" waitUrl="">R</Conference></Dial></Response>`,
    );
  });

  it('says or plays something then hangs up; rejects busy or rejected; hangs up', () => {
    assert.equal(
      buildCxml({ action: 'say', text: 'Nobody is home. Try "later" <3', voice: 'woman', language: 'en-US' }),
      `${HEAD}<Response><Say voice="woman" language="en-US">Nobody is home. Try &quot;later&quot; &lt;3</Say>` +
        '<Hangup/></Response>',
    );
    assert.equal(
      buildCxml({ action: 'play', url: 'https://media.example.com/chime one.mp3' }),
      `${HEAD}<Response><Play>https://media.example.com/chime%20one.mp3</Play><Hangup/></Response>`,
    );
    assert.equal(
      buildCxml({ action: 'reject', reason: 'busy' }),
      `${HEAD}<Response><Reject reason="busy"/></Response>`,
    );
    assert.equal(buildCxml({ action: 'reject' }), `${HEAD}<Response><Reject reason="rejected"/></Response>`);
    assert.equal(buildCxml({ action: 'hangup' }), `${HEAD}<Response><Hangup/></Response>`);
  });

  it('escapes a room name so an XML parser reads back exactly the name', () => {
    const room = `Tom & Jerry's <"office"> ]]> &amp;`;
    assert.equal(textOf(buildCxml({ action: 'join', room }), 'Conference'), room);
  });

  it('refuses a room name or URL that cannot be written safely, naming the problem', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ room: '' }, /room must be the conference's name/],
      [{ room: '   ' }, /room must be the conference's name/],
      [{ room: 'x'.repeat(65) }, /room is at most 64 characters/],
      [{ room: ' Front door' }, /cannot start or end with a blank/],
      [{ room: 'Front\ndoor' }, /U\+000A/],
      [{ room: 'bell\u0007' }, /U\+0007/],
      [{ room: 'half \ud83d' }, /U\+D83D/],
      [{ room: 'nope\uffff' }, /U\+FFFF/],
      [{ room: 'R', waitUrl: 'wait.mp3' }, /waitUrl must be an absolute http or https URL/],
      [{ room: 'R', statusCallback: 'javascript:alert(1)' }, /statusCallback must be/],
      [{ room: 'R', statusCallback: 'https://e.com\\@evil.com/' }, /statusCallback must be/],
      [{ room: 'R', beep: 'loud' }, /beep must be true, false, onEnter or onExit/],
      [{ room: 'R', muted: 'yes' }, /muted must be true or false/],
      [{ room: 'R', record: true }, /"record" is not part of this answer/],
    ];
    for (const [options, message] of cases) {
      assert.match(
        refusal(() => buildCxml({ action: 'join', ...options })),
        message,
        JSON.stringify(options),
      );
    }
    assert.match(
      refusal(() => buildCxml({ action: 'dial' })),
      /action must be one of join, say, play, reject, hangup/,
    );
    assert.match(
      refusal(() => buildCxml({ action: 'reject', reason: 'later' })),
      /reason must be busy or rejected/,
    );
    assert.match(
      refusal(() => buildCxml({ action: 'say', text: 'x'.repeat(4097) })),
      /at most 4096/,
    );
  });
});

describe('cXML: the join route URL', () => {
  const base = 'https://home.example.com/signalwire/join';

  it('carries every join option in the query and reads them back as they were', () => {
    const options: JoinOptions = {
      room: 'Front door & hall',
      muted: true,
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'onExit',
      waitUrl: 'https://media.example.com/wait.mp3?x=1&y=2',
      statusCallback: 'https://home.example.com/signalwire/events',
    };
    const url = joinUrl(base, options);
    assert.ok(url.startsWith(`${base}?room=Front+door+%26+hall&muted=true&`), url);
    assert.deepEqual(readJoinUrl(new URL(url).search), options);
    assert.deepEqual(readJoinUrl(new URL(joinUrl(base, { room: 'R', beep: false })).searchParams), {
      room: 'R',
      beep: false,
    });
  });

  it('refuses a query it did not write: an unknown or repeated parameter, a bad value, no room', () => {
    assert.match(
      refusal(() => readJoinUrl('room=R&coach=1')),
      /unknown parameter "coach"/,
    );
    assert.match(
      refusal(() => readJoinUrl('room=R&room=S')),
      /gives room more than once/,
    );
    assert.match(
      refusal(() => readJoinUrl('room=R&muted=maybe')),
      /muted must be true or false/,
    );
    assert.match(
      refusal(() => readJoinUrl('muted=true')),
      /room must be/,
    );
    assert.match(
      refusal(() => readJoinUrl('room=R&statusCallback=ftp%3A%2F%2Fe.com')),
      /statusCallback must be/,
    );
    assert.match(
      refusal(() => joinUrl(`${base}?x=1`, { room: 'R' })),
      /with no query/,
    );
    assert.match(
      refusal(() => joinUrl('/signalwire/join', { room: 'R' })),
      /absolute http\(s\) URL/,
    );
  });

  describe('end to end: a call placed to a join URL joins the room it names, with no state on the route', () => {
    let emulator: Emulator;
    let route: RecordingServer;
    let client: SignalWireClient;
    const clock = new ManualClock();

    before(async () => {
      emulator = await startEmulator({ clock, seed: null, signingKey: 'PSK_join-route' });
      route = await startRecordingServer();
      // The route as the package serves it: check the signature, read the URL, answer its cXML. Nothing else.
      route.fallback = (request) => {
        const url = `${route.url}${request.path}`;
        const fields = Array.from(new URLSearchParams(request.body));
        const signature = request.headers['x-signalwire-signature'] as string | undefined;
        if (!checkSignature({ signingKey: 'PSK_join-route', signature, url, fields }).ok) return { status: 403 };
        if (request.path.startsWith('/events')) return { status: 204 };
        const xml = buildCxml({ action: 'join', ...readJoinUrl(new URL(url).search) });
        return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: xml };
      };
      client = new SignalWireClient({ space: emulator.url, projectId: emulator.projectId, token: emulator.token });
    });
    after(async () => {
      await client.close();
      await emulator.close();
      await route.close();
    });

    it('joins "Front door & hall" muted, and the room reports to the URL the join URL named', async () => {
      const url = joinUrl(`${route.url}/signalwire/join`, {
        room: 'Front door & hall',
        muted: true,
        endConferenceOnExit: true,
        beep: 'onEnter',
        statusCallback: `${route.url}/events`,
      });
      const placed = await createCall(client, { to: '+15551230001', from: DEMO_NUMBERS.frontDoor, url });
      clock.advance(0);
      clock.advance(500);
      await until(() => emulator.callRecords.get(placed.sid)?.conference !== undefined);
      const room = emulator.snapshot().find((c) => c.friendly_name === 'Front door & hall')!;
      const participant = room.participants[0]!;
      assert.equal(participant.call_sid, placed.sid);
      assert.equal(participant.muted, true);
      assert.equal(participant.end_conference_on_exit, true);
      await emulator.callbacks.whenDelivered(2);
      assert.deepEqual(
        route.requests
          .filter((r) => r.path === '/events')
          .map((r) => new URLSearchParams(r.body).get('StatusCallbackEvent')),
        ['participant-join', 'conference-start'],
      );
      assert.deepEqual(
        emulator.callbacks.deliveries.map((d) => d.outcome),
        [204, 204],
        'the route accepted every signed request',
      );
    });
  });
});
