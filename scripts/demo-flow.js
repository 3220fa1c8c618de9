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
// The examples use this connection too, id and all: importing one into the demo (or several into any Node-RED)
// finds it already there, and Node-RED's "Import copy" keeps the one connection.
const config = 'signalwire-connection';
const resultDebug = 'demo-debug-result';
const updatedDebug = 'demo-debug-updated';
const errorDebug = 'demo-debug-error';

/**
 * One line per click in the Debug sidebar, e.g. "Bob: muted" or "Erin: error 422 — Conference b15d4a6c… has
 * completed": who (msg.topic, set by the button), then what happened (msg.error on output 2, else the
 * participant's new state). Kept under the 80 characters the sidebar shows before it cuts a string: the error's
 * first clause, SIDs cut to their first 8 characters.
 */
const oneLineResult = `(
  $what := error
    ? "error " & (error.status ? error.status & " — " : "— ")
      & $replace($substringBefore(error.message & ":", ":"), /([0-9a-f]{8})(-[0-9a-f]{4}){3}-[0-9a-f]{12}/, "$1…")
    : $join([action, payload.muted ? "muted" : "unmuted", payload.hold ? "on hold", payload.coaching ? "coaching"], ", ");
  topic & ": " & $what
)`;

const env = (name) => ({ value: name, type: 'env' });
const unchanged = { value: '', type: 'unchanged' };
const fromMsg = (property) => ({ value: property, type: 'msg' });
const fixed = (value, type) => ({ value, type });

/** A participant update node; fields not given stay "unchanged" (not sent). */
function updateNode(id, name, y, given) {
  const node = { id, type: 'signalwire-participant-update', z: tab, name, signalwire: config, reportToCatch: false };
  // The option names come from the built client (start.js builds before it writes the flow).
  const { UPDATE_OPTION_NAMES } = require('../dist/lib');
  for (const field of ['conferenceSid', 'callSid', ...UPDATE_OPTION_NAMES]) {
    const { value, type } = given[field] || unchanged;
    node[field] = value;
    node[`${field}Type`] = type;
  }
  // Each output goes to the one-line result, and to a debug node that keeps the participant or the error one click
  // away.
  return {
    ...node,
    x: 430,
    y,
    wires: [
      [resultDebug, updatedDebug],
      [resultDebug, errorDebug],
    ],
  };
}

/** An inject button; `who` becomes msg.topic, `props` are extra message properties ({ p, v, vt }). */
function inject(id, name, y, target, who, props) {
  return {
    id,
    type: 'inject',
    z: tab,
    name,
    props: [{ p: 'topic', v: who, vt: 'str' }, ...props],
    repeat: '',
    crontab: '',
    once: false,
    onceDelay: 0.1,
    topic: who,
    x: 170,
    y,
    wires: [[target]],
  };
}

const prop = (p, v, vt) => ({ p, v, vt });
const payload = (object) => prop('payload', JSON.stringify(object), 'json');

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
    inject('demo-erin-joins', 'Erin joins Weekly sync', y + 50, 'demo-emulator-join', 'Erin', [
      prop('url', "$env('SIGNALWIRE_SPACE') & '/__emulator/calls/join'", 'jsonata'),
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
      wires: [[], ['demo-joiner-topic']],
    },
    {
      // The callback names the call, not the person: the one-line result says which call joined.
      id: 'demo-joiner-topic',
      type: 'change',
      z: tab,
      name: 'who joined',
      rules: [{ t: 'set', p: 'topic', pt: 'msg', to: '"Joined " & $substring(callSid, 0, 8) & "…"', tot: 'jsonata' }],
      action: '',
      property: '',
      from: '',
      to: '',
      reg: false,
      x: 530,
      y: y + 110,
      wires: [['demo-mute-joiner']],
    },
    updateNode('demo-mute-joiner', 'mute who joined', y + 160, {
      conferenceSid: fromMsg('conferenceSid'),
      callSid: fromMsg('callSid'),
      muted: fixed('true', 'bool'),
    }),
  ];
}

function demoFlow() {
  return [
    ...conferenceControls(),
    {
      id: tab,
      type: 'tab',
      label: 'SignalWire demo',
      disabled: false,
      info:
        'Click the button on the left of an inject node. The Debug sidebar shows one line per click ("Bob: muted",' +
        ' "Erin: error ...") and below it the updated participant or the error: click it to open it. Errors (a' +
        ' conference that has ended, a malformed SID) leave on output 2.\n\n' +
        'SIDs come from environment variables (SIGNALWIRE_CONFERENCE_SID, ...), the connection from' +
        ' SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN.',
    },
    {
      id: config,
      type: 'signalwire-config',
      // Unnamed, so the editor shows "SignalWire (environment)", or the space once one is typed in.
      name: '',
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

    inject('demo-mute-bob', 'Mute Bob', 100, 'demo-update-bob', 'Bob', [payload({ muted: true })]),
    inject('demo-unmute-bob', 'Unmute Bob', 140, 'demo-update-bob', 'Bob', [payload({ muted: false })]),
    updateNode('demo-update-bob', 'Bob: mute / unmute', 120, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_PARTICIPANT_CALL_SID'),
      muted: fromMsg('payload.muted'),
    }),

    inject('demo-hold-carol', 'Hold Carol with music', 200, 'demo-update-carol', 'Carol', [payload({ hold: true })]),
    inject('demo-resume-carol', 'Take Carol off hold', 240, 'demo-update-carol', 'Carol', [payload({ hold: false })]),
    updateNode('demo-update-carol', 'Carol: hold with music', 220, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_AGENT_CALL_SID'),
      hold: fromMsg('payload.hold'),
      holdUrl: env('SIGNALWIRE_HOLD_URL'),
      holdMethod: fixed('GET', 'method'),
    }),

    // A coach must be unmuted to be heard (as in the coaching example); stopping mutes Dave again.
    inject('demo-coach', 'Dave coaches Carol', 300, 'demo-update-dave', 'Dave', [
      payload({ coaching: true, muted: false }),
    ]),
    inject('demo-stop-coach', 'Dave stops coaching', 340, 'demo-update-dave', 'Dave', [
      payload({ coaching: false, muted: true }),
    ]),
    updateNode('demo-update-dave', 'Dave: coach Carol', 320, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_SUPERVISOR_CALL_SID'),
      muted: fromMsg('payload.muted'),
      coaching: fromMsg('payload.coaching'),
      callSidToCoach: env('SIGNALWIRE_AGENT_CALL_SID'),
    }),

    inject('demo-announce', 'Announce to Alice (host)', 400, 'demo-update-alice', 'Alice', [
      prop('action', 'announcement sent', 'str'),
    ]),
    updateNode('demo-update-alice', 'Alice: announcement', 400, {
      conferenceSid: env('SIGNALWIRE_CONFERENCE_SID'),
      callSid: env('SIGNALWIRE_HOST_CALL_SID'),
      announceUrl: env('SIGNALWIRE_ANNOUNCE_URL'),
      announceMethod: fixed('GET', 'method'),
    }),

    // The error path: both end on output 2 with msg.error explaining what went wrong.
    inject('demo-mute-erin', 'Mute Erin (stand-up has ended)', 480, 'demo-update-from-msg', 'Erin', [
      prop('conferenceSid', 'SIGNALWIRE_ENDED_CONFERENCE_SID', 'env'),
      prop('callSid', 'SIGNALWIRE_ENDED_CALL_SID', 'env'),
      payload({ muted: true }),
    ]),
    inject('demo-bad-sid', 'Mute a malformed call SID', 520, 'demo-update-from-msg', 'Bad SID', [
      prop('conferenceSid', 'SIGNALWIRE_CONFERENCE_SID', 'env'),
      prop('callSid', 'not-a-call-sid', 'str'),
      payload({ muted: true }),
    ]),
    updateNode('demo-update-from-msg', 'SIDs from msg', 500, {
      conferenceSid: fromMsg('conferenceSid'),
      callSid: fromMsg('callSid'),
      muted: fromMsg('payload.muted'),
    }),

    ...conferenceEventNodes(1000),

    {
      id: resultDebug,
      type: 'debug',
      z: tab,
      name: 'result',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: oneLineResult,
      targetType: 'jsonata',
      statusVal: '',
      statusType: 'auto',
      x: 650,
      y: 300,
      wires: [],
    },
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
      x: 660,
      y: 360,
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
      x: 640,
      y: 560,
      wires: [],
    },
  ];
}

/**
 * The whole-conference buttons: each starts from the conference's name, as a real automation would, and ends in
 * one line in the Debug sidebar ("Weekly sync: 3 updated, 1 left alone").
 */
const controlResult = 'demo-debug-control';
const controlDebug = 'demo-debug-control-payload';
const controlOneLine = `(
  $what := error
    ? "error " & (error.status ? error.status & " — " : "— ") & $substringBefore(error.message & ":", ":")
    : $type(payload) = "array" ? $count(payload) & " on hold"
    : $exists(payload.updated) ? $count(payload.updated) & " updated, " & $count(payload.skipped) & " left alone"
    : payload.removed ? "removed " & $substring(payload.callSid, 0, 8) & "…"
    : $exists(payload.status) ? "conference " & payload.status
    : $exists(payload.conferences) ? "conferences back as they were at the start"
    : "done";
  topic & ": " & $what
)`;
const ROOM = 'Weekly sync';
const toControl = [
  [controlResult, controlDebug],
  [controlResult, errorDebug],
];

function conferenceNode(id, name, action, x, y, next, fields = {}) {
  const node = {
    id,
    type: 'signalwire-conference',
    z: tab,
    name,
    signalwire: config,
    action,
    friendlyName: 'friendlyName',
    friendlyNameType: 'msg',
    conferenceSid: 'conferenceSid',
    conferenceSidType: 'msg',
    status: '',
    statusType: 'unchanged',
    announceUrl: 'payload.announceUrl',
    announceUrlType: 'msg',
    announceMethod: '',
    announceMethodType: 'unchanged',
    reportToCatch: false,
    x,
    y,
    wires: next ? [[next], [controlResult, errorDebug]] : toControl,
  };
  for (const [field, { value, type }] of Object.entries(fields)) {
    node[field] = value;
    node[`${field}Type`] = type;
  }
  return node;
}

function updateAllNode(id, name, y, muted) {
  const { UPDATE_OPTION_NAMES } = require('../dist/lib');
  const node = { id, type: 'signalwire-participants-update', z: tab, name, signalwire: config, reportToCatch: false };
  node.conferenceSid = 'conferenceSid';
  node.conferenceSidType = 'msg';
  node.except = '';
  node.exceptType = 'unchanged';
  // Alice started the meeting: she is its moderator, and the one left alone.
  node.skipModerators = true;
  for (const field of UPDATE_OPTION_NAMES) {
    node[field] = '';
    node[`${field}Type`] = 'unchanged';
  }
  node.muted = String(muted);
  node.mutedType = 'bool';
  return { ...node, x: 640, y, wires: toControl };
}

function participantsNode(id, name, action, x, y, next, fields) {
  const node = {
    id,
    type: 'signalwire-participants',
    z: tab,
    name,
    signalwire: config,
    action,
    conferenceSid: 'conferenceSid',
    conferenceSidType: 'msg',
    callSid: 'callSid',
    callSidType: 'msg',
    muted: '',
    mutedType: 'unchanged',
    hold: '',
    holdType: 'unchanged',
    reportToCatch: false,
    x,
    y,
    wires: next
      ? [
          [next, controlResult],
          [controlResult, errorDebug],
        ]
      : toControl,
  };
  for (const [field, { value, type }] of Object.entries(fields)) {
    node[field] = value;
    node[`${field}Type`] = type;
  }
  return node;
}

const byName = (label) => [prop('friendlyName', ROOM, 'str'), prop('topic', label, 'str')];
function controlButton(id, name, y, target, label) {
  return { ...inject(id, name, y, target, label, []), props: byName(label) };
}

function conferenceControls() {
  const debugNode = (id, name, complete, targetType, y) => ({
    id,
    type: 'debug',
    z: tab,
    name,
    active: true,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete,
    targetType,
    statusVal: '',
    statusType: 'auto',
    x: 1080,
    y,
    wires: [],
  });
  return [
    {
      id: 'demo-control-comment',
      type: 'comment',
      z: tab,
      name: 'The whole conference, found by its name',
      info:
        'Each button finds the live conference named "Weekly sync", then acts on everyone in it. Announce,' +
        ' then end leaves the meeting ended: "Start the demo conferences again" brings it back (emulator only).',
      x: 240,
      y: 620,
      wires: [],
    },
    controlButton('demo-mute-all', 'Mute everyone but the host', 680, 'demo-find-mute', 'Weekly sync'),
    conferenceNode('demo-find-mute', 'find "Weekly sync"', 'find', 420, 680, 'demo-mute-all-update'),
    updateAllNode('demo-mute-all-update', 'mute everyone but the host', 680, true),

    controlButton('demo-unmute-all', 'Unmute everyone but the host', 740, 'demo-find-unmute', 'Weekly sync'),
    conferenceNode('demo-find-unmute', 'find "Weekly sync"', 'find', 420, 740, 'demo-unmute-all-update'),
    updateAllNode('demo-unmute-all-update', 'unmute everyone but the host', 740, false),

    controlButton('demo-remove-held', 'Remove everyone on hold', 800, 'demo-find-held', 'Weekly sync'),
    conferenceNode('demo-find-held', 'find "Weekly sync"', 'find', 420, 800, 'demo-list-held'),
    participantsNode('demo-list-held', 'who is on hold', 'list', 600, 800, 'demo-split-held', {
      hold: { value: 'true', type: 'bool' },
    }),
    {
      id: 'demo-split-held',
      type: 'split',
      z: tab,
      name: 'one per participant',
      splt: '\\n',
      spltType: 'str',
      arraySplt: 1,
      arraySpltType: 'len',
      stream: false,
      addname: '',
      x: 780,
      y: 800,
      wires: [['demo-remove-one']],
    },
    participantsNode('demo-remove-one', 'remove', 'remove', 940, 800, undefined, {
      callSid: { value: 'payload.call_sid', type: 'msg' },
    }),

    controlButton('demo-announce-end', 'Announce, then end the meeting', 860, 'demo-find-end', 'Weekly sync'),
    conferenceNode('demo-find-end', 'find "Weekly sync"', 'find', 420, 860, 'demo-announce-all'),
    conferenceNode('demo-announce-all', 'announce to everyone', 'announce', 600, 860, 'demo-wait-announce', {
      announceUrl: env('SIGNALWIRE_ANNOUNCE_URL'),
      announceMethod: fixed('GET', 'method'),
    }),
    {
      id: 'demo-wait-announce',
      type: 'delay',
      z: tab,
      name: 'while it plays',
      pauseType: 'delay',
      timeout: '3',
      timeoutUnits: 'seconds',
      rate: '1',
      nbRateUnits: '1',
      rateUnits: 'second',
      randomFirst: '1',
      randomLast: '5',
      randomUnits: 'seconds',
      drop: false,
      allowrate: false,
      outputs: 1,
      x: 780,
      y: 860,
      wires: [['demo-end']],
    },
    conferenceNode('demo-end', 'end the meeting', 'end', 940, 860),

    {
      ...inject('demo-restart', 'Start the demo conferences again', 920, 'demo-restart-request', 'Emulator', []),
      props: [
        prop('topic', 'Emulator', 'str'),
        // The emulator's own control API (not SignalWire's): back to "Weekly sync" with four people.
        prop('url', '$env("SIGNALWIRE_SPACE") & "/__emulator/reset"', 'jsonata'),
      ],
    },
    {
      id: 'demo-restart-request',
      type: 'http request',
      z: tab,
      name: 'reset the emulator',
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
      x: 440,
      y: 920,
      wires: [[controlResult]],
    },

    debugNode(controlResult, 'conference result', controlOneLine, 'jsonata', 700),
    debugNode(controlDebug, 'conference or participants', 'payload', 'msg', 760),
  ];
}

module.exports = { demoFlow, demoSidEnv, audioUrlDefaults, conferenceControls, DEMO_EVENTS_PATH };
