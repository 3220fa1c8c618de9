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

function demoFlow() {
  return [
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

module.exports = { demoFlow, demoSidEnv, audioUrlDefaults };
