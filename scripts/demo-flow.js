'use strict';
// The demo flow `npm start` deploys. Every SID and audio URL is read from the environment (typedInput
// type env), so the same flow drives the emulator's "Weekly sync" or a live conference in a real space.

/** The SIDs the flow reads from the environment, filled from the emulator's demo seed (DEMO_SIDS). */
function demoSidEnv(sids) {
  return {
    SIGNALWIRE_CONFERENCE_SID: sids.weeklySync, // "Weekly sync", in progress
    SIGNALWIRE_HOST_CALL_SID: sids.alice, // Alice (host)
    SIGNALWIRE_PARTICIPANT_CALL_SID: sids.bob, // Bob
    SIGNALWIRE_AGENT_CALL_SID: sids.carol, // Carol (agent)
    SIGNALWIRE_SUPERVISOR_CALL_SID: sids.dave, // Dave (supervisor)
    SIGNALWIRE_ENDED_CONFERENCE_SID: sids.mondayStandup, // "Monday stand-up", completed
    SIGNALWIRE_ENDED_CALL_SID: sids.erin, // Erin
  };
}

/** Placeholders the emulator accepts; against a real space, point these at your own audio or cXML. */
const audioUrlDefaults = {
  SIGNALWIRE_HOLD_URL: 'https://example.com/hold-music.mp3',
  SIGNALWIRE_ANNOUNCE_URL: 'https://example.com/announcement.xml',
};

const tab = 'demo-tab';
const config = 'demo-signalwire';
const updatedDebug = 'demo-debug-updated';
const errorDebug = 'demo-debug-error';

const env = (name) => ({ value: name, type: 'env' });
const unchanged = { value: '', type: 'unchanged' };
const fromMsg = (property) => ({ value: property, type: 'msg' });
const fixed = (value, type) => ({ value, type });

/** A Participant Update node; fields not given stay "unchanged" (not sent). */
function updateNode(id, name, y, given) {
  const node = { id, type: 'signalwire-participant-update', z: tab, name, signalwire: config, reportToCatch: false };
  // The option names come from the built client (start.js builds before it writes the flow).
  const { UPDATE_OPTION_NAMES } = require('../dist/lib');
  for (const field of ['conferenceSid', 'callSid', ...UPDATE_OPTION_NAMES]) {
    const { value, type } = given[field] || unchanged;
    node[field] = value;
    node[`${field}Type`] = type;
  }
  return { ...node, x: 430, y, wires: [[updatedDebug], [errorDebug]] };
}

/** An inject button; `props` are extra message properties as [name, value, type]. */
function inject(id, name, y, target, props) {
  return {
    id,
    type: 'inject',
    z: tab,
    name,
    props: props.map(([p, v, vt]) => ({ p, v, vt })),
    repeat: '',
    crontab: '',
    once: false,
    onceDelay: 0.1,
    topic: '',
    x: 170,
    y,
    wires: [[target]],
  };
}

const payload = (object) => ['payload', JSON.stringify(object), 'json'];

/** The path the demo's conference events node listens on; the emulator sends its callbacks there. */
const DEMO_EVENTS_PATH = '/signalwire/conference-events';

/**
 * The event loop: a button has the emulator make Erin join "Weekly sync"; the emulator posts a signed
 * participant-join to the conference events node; Erin is not a moderator, so the flow mutes her.
 */
function conferenceEventNodes(y) {
  return [
    {
      id: 'demo-events-comment',
      type: 'comment',
      z: tab,
      name: 'Events: whoever joins is muted unless a moderator',
      info: 'The button asks the emulator (its control API) to make Erin join; SignalWire would call the same URL.',
      x: 250,
      y,
      wires: [],
    },
    inject('demo-erin-joins', 'Erin joins Weekly sync', y + 50, 'demo-emulator-join', [
      ['url', "$env('SIGNALWIRE_SPACE') & '/__emulator/calls/join'", 'jsonata'],
      payload({ friendlyName: 'Weekly sync', label: 'Erin', startConferenceOnEnter: false }),
    ]),
    {
      id: 'demo-emulator-join',
      type: 'http request',
      z: tab,
      name: 'emulator: join',
      method: 'POST',
      ret: 'obj',
      paytoqs: 'ignore',
      url: '',
      tls: '',
      persist: false,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
      x: 430,
      y: y + 50,
      wires: [[]],
    },
    {
      id: 'demo-events',
      type: 'signalwire-conference-events',
      z: tab,
      name: 'someone joined',
      signalwire: config,
      path: DEMO_EVENTS_PATH,
      publicUrl: '',
      events: ['participant-join'],
      verify: true,
      x: 160,
      y: y + 110,
      wires: [['demo-moderator']],
    },
    {
      id: 'demo-moderator',
      type: 'switch',
      z: tab,
      name: 'moderator?',
      property: 'payload.startConferenceOnEnter',
      propertyType: 'msg',
      rules: [{ t: 'true' }, { t: 'else' }],
      checkall: 'false',
      repair: false,
      outputs: 2,
      x: 350,
      y: y + 110,
      wires: [[], ['demo-mute-joiner']],
    },
    updateNode('demo-mute-joiner', 'mute who joined', y + 110, {
      conferenceSid: fromMsg('conferenceSid'),
      callSid: fromMsg('callSid'),
      muted: fixed('true', 'bool'),
    }),
  ];
}

function demoFlow() {
  return [
    {
      id: tab,
      type: 'tab',
      label: 'SignalWire demo',
      disabled: false,
      info:
        'Click the button on the left of an inject node. The updated participant appears in the Debug sidebar;' +
        ' errors (a conference that has ended, a malformed SID) leave on output 2.\n\n' +
        'SIDs come from environment variables (SIGNALWIRE_CONFERENCE_SID, ...), the connection from' +
        ' SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN.',
    },
    {
      id: config,
      type: 'signalwire-config',
      name: 'SignalWire (from environment)',
      space: '',
      timeout: 10000,
      retries: 3,
      maxInFlight: 10,
    },
    {
      id: 'demo-comment',
      type: 'comment',
      z: tab,
      name: 'Weekly sync: click a button, watch the Debug sidebar',
      info: 'Alice is the host, Bob a participant, Carol an agent, Dave her supervisor.',
      x: 230,
      y: 40,
      wires: [],
    },

    inject('demo-mute-bob', 'Mute Bob', 100, 'demo-update-bob', [payload({ muted: true })]),
    inject('demo-unmute-bob', 'Unmute Bob', 140, 'demo-update-bob', [payload({ muted: false })]),
    updateNode('demo-update-bob', 'Bob: mute / unmute', 120, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_PARTICIPANT_CALL_SID'),
      muted: fromMsg('payload.muted'),
    }),

    inject('demo-hold-carol', 'Hold Carol with music', 200, 'demo-update-carol', [payload({ hold: true })]),
    inject('demo-resume-carol', 'Take Carol off hold', 240, 'demo-update-carol', [payload({ hold: false })]),
    updateNode('demo-update-carol', 'Carol: hold with music', 220, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_AGENT_CALL_SID'),
      hold: fromMsg('payload.hold'),
      holdUrl: env('SIGNALWIRE_HOLD_URL'),
      holdMethod: fixed('GET', 'method'),
    }),

    inject('demo-coach', 'Dave coaches Carol', 300, 'demo-update-dave', [payload({ coaching: true })]),
    inject('demo-stop-coach', 'Dave stops coaching', 340, 'demo-update-dave', [payload({ coaching: false })]),
    updateNode('demo-update-dave', 'Dave: coach Carol', 320, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_SUPERVISOR_CALL_SID'),
      coaching: fromMsg('payload.coaching'),
      callSidToCoach: env('SIGNALWIRE_AGENT_CALL_SID'),
    }),

    inject('demo-announce', 'Announce to Alice (host)', 400, 'demo-update-alice', []),
    updateNode('demo-update-alice', 'Alice: announcement', 400, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_HOST_CALL_SID'),
      announceUrl: env('SIGNALWIRE_ANNOUNCE_URL'),
      announceMethod: fixed('GET', 'method'),
    }),

    // The error path: both end on output 2 with msg.error explaining what went wrong.
    inject('demo-mute-erin', 'Mute Erin (stand-up has ended)', 480, 'demo-update-from-msg', [
      ['conferenceSid', 'SIGNALWIRE_ENDED_CONFERENCE_SID', 'env'],
      ['callSid', 'SIGNALWIRE_ENDED_CALL_SID', 'env'],
      payload({ muted: true }),
    ]),
    inject('demo-bad-sid', 'Mute a malformed call SID', 520, 'demo-update-from-msg', [
      ['conferenceSid', 'SIGNALWIRE_CONFERENCE_SID', 'env'],
      ['callSid', 'not-a-call-sid', 'str'],
      payload({ muted: true }),
    ]),
    updateNode('demo-update-from-msg', 'SIDs from msg', 500, {
      conferenceSid: fromMsg('conferenceSid'),
      callSid: fromMsg('callSid'),
      muted: fromMsg('payload.muted'),
    }),

    ...conferenceEventNodes(600),

    {
      id: updatedDebug,
      type: 'debug',
      z: tab,
      name: 'participant',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'payload',
      targetType: 'msg',
      statusVal: '',
      statusType: 'auto',
      x: 670,
      y: 300,
      wires: [],
    },
    {
      id: errorDebug,
      type: 'debug',
      z: tab,
      name: 'error',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'error',
      targetType: 'msg',
      statusVal: '',
      statusType: 'auto',
      x: 650,
      y: 560,
      wires: [],
    },
  ];
}

module.exports = { demoFlow, demoSidEnv, audioUrlDefaults, DEMO_EVENTS_PATH };
