'use strict';
// The demo flow `npm start` deploys: one tab per part, each built by its own function below and laid out in rows
// read top to bottom, each row ending in the line it shows in the Debug sidebar (one line per click). Every SID
// and audio URL is read from the environment (typedInput type env), so the same flow drives the emulator's
// "Weekly sync" or a live conference in a real space. To add a part, write a function that returns its tab and
// nodes (see onePersonPart) and list it in demoFlow.

/** The SIDs the flow reads from the environment, filled from the emulator's demo seed (DEMO_SIDS). */
function demoSidEnv(sids) {
  return {
    SIGNALWIRE_CONFERENCE_SID: sids.weeklySync, // "Weekly sync", in progress
    SIGNALWIRE_HOST_CALL_SID: sids.alice, // Alice (host)
    SIGNALWIRE_PARTICIPANT_CALL_SID: sids.bob, // Bob
    SIGNALWIRE_AGENT_CALL_SID: sids.carol, // Carol (agent)
    SIGNALWIRE_SUPERVISOR_CALL_SID: sids.dave, // Dave (supervisor)
    SIGNALWIRE_ENDED_CONFERENCE_SID: sids.mondayStandup, // "Monday stand-up", completed
    SIGNALWIRE_ENDED_CALL_SID: sids.erin, // Erin, who was in the stand-up and joins "Weekly sync" in part 3
  };
}

/** Placeholders the emulator accepts; against a real space, point these at your own audio or cXML. */
const audioUrlDefaults = {
  SIGNALWIRE_HOLD_URL: 'https://example.com/hold-music.mp3',
  SIGNALWIRE_ANNOUNCE_URL: 'https://example.com/announcement.xml',
};

/** The path the demo's conference events node listens on; the emulator sends its callbacks there. */
const DEMO_EVENTS_PATH = '/signalwire/conference-events';

// The examples use this connection too, id and all: importing one into the demo (or several into any Node-RED)
// finds it already there, and Node-RED's "Import copy" keeps the one connection.
const CONNECTION = 'signalwire-connection';

// ---------------------------------------------------------------------------------------------------------------
// The lines the Debug sidebar shows: JSONata for the debug nodes.

/** Who the demo can name, by the environment variable holding their SID. */
const NAMED = [
  ['SIGNALWIRE_CONFERENCE_SID', 'Weekly sync'],
  ['SIGNALWIRE_ENDED_CONFERENCE_SID', 'Monday stand-up'],
  ['SIGNALWIRE_HOST_CALL_SID', 'Alice'],
  ['SIGNALWIRE_PARTICIPANT_CALL_SID', 'Bob'],
  ['SIGNALWIRE_AGENT_CALL_SID', 'Carol'],
  ['SIGNALWIRE_SUPERVISOR_CALL_SID', 'Dave'],
  ['SIGNALWIRE_ENDED_CALL_SID', 'Erin'],
];

/**
 * `$name(sid)`: the name of a SID the demo knows ("Bob", or someone part 5 called in: global.demoNames), else its
 * first 8 characters ("9f3b2e4a…"); `$names(text)` puts names in place of the SIDs in a text. A variable that is not
 * set names nobody.
 */
const NAMES = `$known := $merge([
    ${NAMED.map(([env, name]) => `{ $env("${env}"): "${name}" }`).join(',\n    ')},
    $globalContext("demoNames")
  ]);
  $name := function($sid) { $lookup($known, $sid) ? $lookup($known, $sid) : $substring($sid, 0, 8) & "…" };
  $names := function($text) {
    $replace($text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, function($m) { $name($m.match) })
  };`;

/** "error 422 — Conference Monday stand-up has completed": msg.error in a few words, its first clause. */
const ERROR = `"error " & (error.status ? error.status & " — " : "— ") & $names($substringBefore(error.message & ":", ":"))`;

/** A debug expression: `who` & ": " & (msg.error in a few words, or `what` changed). */
function resultLine(who, what) {
  return `(
  ${NAMES}
  ${who} & ": " & (error ? ${ERROR} : ${what})
)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes. x and y are the centre of a node, as in Node-RED; each part keeps its rows inside one screen.

const env = (name) => ({ value: name, type: 'env' });
const unchanged = { value: '', type: 'unchanged' };
const fromMsg = (property) => ({ value: property, type: 'msg' });
const fixed = (value, type) => ({ value, type });
const prop = (p, v, vt) => ({ p, v, vt });
const payload = (object) => prop('payload', JSON.stringify(object), 'json');

function tab(id, label, info) {
  return { id, type: 'tab', label, disabled: false, info };
}

function comment(z, id, name, x, y, info = '') {
  return { id, type: 'comment', z, name, info, x, y, wires: [] };
}

/** An inject button; `who` becomes msg.topic, `props` are extra message properties ({ p, v, vt }). */
function inject(z, id, name, x, y, next, who, props) {
  return {
    id,
    type: 'inject',
    z,
    name,
    props: [{ p: 'topic', v: who, vt: 'str' }, ...props],
    repeat: '',
    crontab: '',
    once: false,
    onceDelay: 0.1,
    topic: who,
    x,
    y,
    wires: [[next]],
  };
}

/** A debug node showing one line in the sidebar (`expression` is JSONata over the message). */
function lineDebug(z, id, name, x, y, expression) {
  return {
    id,
    type: 'debug',
    z,
    name,
    active: true,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete: expression,
    targetType: 'jsonata',
    statusVal: '',
    statusType: 'auto',
    x,
    y,
    wires: [],
  };
}

/** Sets `<field>` and `<field>Type` on a node from { value, type }. */
function setFields(node, fields) {
  for (const [field, { value, type }] of Object.entries(fields)) {
    node[field] = value;
    node[`${field}Type`] = type;
  }
  return node;
}

/** A participant update node; option fields not given stay "unchanged" (not sent). Both outputs go to `result`. */
function updateNode(z, id, name, x, y, result, given) {
  // The option names come from the built client (start.js builds before it writes the flow).
  const { UPDATE_OPTION_NAMES } = require('../dist/lib');
  const node = { id, type: 'signalwire-participant-update', z, name, signalwire: CONNECTION, reportToCatch: false };
  for (const field of ['conferenceSid', 'callSid', ...UPDATE_OPTION_NAMES]) setFields(node, { [field]: unchanged });
  setFields(node, given);
  return { ...node, x, y, wires: [[result], [result]] };
}

/**
 * A conference node reading the name and SID from the message; its error output goes to `result`, or, left
 * unwired, to the Debug sidebar as the node's error.
 */
function conferenceNode(z, id, name, action, x, y, next, result, fields = {}) {
  const node = { id, type: 'signalwire-conference', z, name, signalwire: CONNECTION, action, reportToCatch: false };
  setFields(node, {
    friendlyName: fromMsg('friendlyName'),
    conferenceSid: fromMsg('conferenceSid'),
    status: unchanged,
    announceUrl: fromMsg('payload.announceUrl'),
    announceMethod: unchanged,
    ...fields,
  });
  return { ...node, x, y, wires: [[next], result ? [result] : []] };
}

function participantsNode(z, id, name, action, x, y, next, result, fields) {
  const node = { id, type: 'signalwire-participants', z, name, signalwire: CONNECTION, action, reportToCatch: false };
  setFields(node, {
    conferenceSid: fromMsg('conferenceSid'),
    callSid: fromMsg('callSid'),
    muted: unchanged,
    hold: unchanged,
    ...fields,
  });
  return { ...node, x, y, wires: [[next], result ? [result] : []] };
}

/**
 * update all on the conference in msg.conferenceSid, leaving its moderators (Alice, the host) alone; errors go to
 * the tab's Catch node.
 */
function updateAllNode(z, id, name, x, y, result, muted) {
  const { UPDATE_OPTION_NAMES } = require('../dist/lib');
  const node = { id, type: 'signalwire-participants-update', z, name, signalwire: CONNECTION, reportToCatch: false };
  setFields(node, { conferenceSid: fromMsg('conferenceSid'), except: unchanged });
  node.skipModerators = true;
  for (const field of UPDATE_OPTION_NAMES) setFields(node, { [field]: unchanged });
  setFields(node, { muted: fixed(String(muted), 'bool') });
  return { ...node, x, y, wires: [[result], []] };
}

function switchNode(z, id, name, x, y, property, rules, wires, outputLabels) {
  return {
    id,
    type: 'switch',
    z,
    name,
    // A property, or { jsonata } for an expression over the message.
    property: property.jsonata ?? property,
    propertyType: property.jsonata ? 'jsonata' : 'msg',
    rules,
    checkall: 'false',
    repair: false,
    outputs: rules.length,
    outputLabels,
    x,
    y,
    wires,
  };
}

/** An http request to the emulator's control API (not SignalWire's): the URL comes in msg.url. */
function emulatorRequest(z, id, name, x, y, wires) {
  return {
    id,
    type: 'http request',
    z,
    name,
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
    x,
    y,
    wires,
  };
}

const emulatorUrl = (route) => prop('url', `$env("SIGNALWIRE_SPACE") & "/__emulator/${route}"`, 'jsonata');

// ---------------------------------------------------------------------------------------------------------------
// Part 1: one person at a time (participant update).

function onePersonPart() {
  const z = 'demo-tab-one';
  const INJECT = 180;
  const NODE = 440;
  const RESULT = 620;
  /** Buttons on the left, the node they drive, and the line it shows. */
  const row = (id, name, y, buttons, fields, what) => [
    ...buttons.map(([buttonId, label, who, props], i) =>
      inject(z, buttonId, label, INJECT, y - 20 * (buttons.length - 1) + 40 * i, id, who, props),
    ),
    updateNode(z, id, name, NODE, y, `${id}-result`, fields),
    lineDebug(z, `${id}-result`, 'result', RESULT, y, resultLine('topic', what)),
  ];
  const weeklySync = env('SIGNALWIRE_CONFERENCE_SID');
  return [
    tab(
      z,
      '1. One person',
      'Click the square button on the left of an inject node: the Debug sidebar shows one line saying what changed ' +
        '("Bob: muted"), or what went wrong. The node in the middle shows the participant\'s state under it.\n\n' +
        'SIDs come from environment variables (SIGNALWIRE_CONFERENCE_SID, ...), the connection from ' +
        'SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN.',
    ),
    comment(
      z,
      'demo-comment',
      'Weekly sync, one person at a time: click a button, watch the Debug sidebar',
      300,
      40,
      'Alice is the host, Bob a participant, Carol an agent, Dave her supervisor.',
    ),
    ...row(
      'demo-update-bob',
      'Bob: mute / unmute',
      120,
      [
        ['demo-mute-bob', 'Mute Bob', 'Bob', [payload({ muted: true })]],
        ['demo-unmute-bob', 'Unmute Bob', 'Bob', [payload({ muted: false })]],
      ],
      {
        conferenceSid: weeklySync,
        callSid: env('SIGNALWIRE_PARTICIPANT_CALL_SID'),
        muted: fromMsg('payload.muted'),
      },
      'payload.muted ? "muted" : "unmuted"',
    ),
    ...row(
      'demo-update-carol',
      'Carol: hold with music',
      220,
      [
        ['demo-hold-carol', 'Hold Carol with music', 'Carol', [payload({ hold: true })]],
        ['demo-resume-carol', 'Take Carol off hold', 'Carol', [payload({ hold: false })]],
      ],
      {
        conferenceSid: weeklySync,
        callSid: env('SIGNALWIRE_AGENT_CALL_SID'),
        hold: fromMsg('payload.hold'),
        holdUrl: env('SIGNALWIRE_HOLD_URL'),
        holdMethod: fixed('GET', 'method'),
      },
      'payload.hold ? "on hold" : "off hold"',
    ),
    // A coach must be unmuted to be heard (as in the coaching example); stopping mutes Dave again.
    ...row(
      'demo-update-dave',
      'Dave: coach Carol',
      320,
      [
        ['demo-coach', 'Dave coaches Carol', 'Dave', [payload({ coaching: true, muted: false })]],
        ['demo-stop-coach', 'Dave stops coaching', 'Dave', [payload({ coaching: false, muted: true })]],
      ],
      {
        conferenceSid: weeklySync,
        callSid: env('SIGNALWIRE_SUPERVISOR_CALL_SID'),
        muted: fromMsg('payload.muted'),
        coaching: fromMsg('payload.coaching'),
        callSidToCoach: env('SIGNALWIRE_AGENT_CALL_SID'),
      },
      '(payload.coaching ? "coaching" : "stopped coaching") & ", " & (payload.muted ? "muted" : "unmuted")',
    ),
    ...row(
      'demo-update-alice',
      'Alice: announcement',
      400,
      [['demo-announce', 'Announce to Alice (host)', 'Alice', []]],
      {
        conferenceSid: weeklySync,
        callSid: env('SIGNALWIRE_HOST_CALL_SID'),
        announceUrl: env('SIGNALWIRE_ANNOUNCE_URL'),
        announceMethod: fixed('GET', 'method'),
      },
      '"announcement sent"',
    ),
    comment(z, 'demo-errors-comment', 'Errors leave on output 2, with msg.error saying what went wrong', 280, 470),
    ...row(
      'demo-update-from-msg',
      'SIDs from msg',
      540,
      [
        [
          'demo-mute-erin',
          'Mute Erin (stand-up has ended)',
          'Erin',
          [
            prop('conferenceSid', 'SIGNALWIRE_ENDED_CONFERENCE_SID', 'env'),
            prop('callSid', 'SIGNALWIRE_ENDED_CALL_SID', 'env'),
            payload({ muted: true }),
          ],
        ],
        [
          'demo-bad-sid',
          'Mute a malformed call SID',
          'Bad SID',
          [
            prop('conferenceSid', 'SIGNALWIRE_CONFERENCE_SID', 'env'),
            prop('callSid', 'not-a-call-sid', 'str'),
            payload({ muted: true }),
          ],
        ],
      ],
      { conferenceSid: fromMsg('conferenceSid'), callSid: fromMsg('callSid'), muted: fromMsg('payload.muted') },
      'payload.muted ? "muted" : "unmuted"',
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Part 2: everyone in the conference, found by its name (conference, participants, update all).

function everyonePart() {
  const z = 'demo-tab-everyone';
  const INJECT = 130;
  const FIND = 330;
  const ACTION = 520;
  const RESULT = 690;
  const ROOM = 'Weekly sync';
  const button = (id, label, y, next) =>
    inject(z, id, label, INJECT, y, next, ROOM, [prop('friendlyName', ROOM, 'str')]);
  // The nodes' error outputs are left unwired: their errors go to the Catch node at the bottom, one line each.
  const find = (id, y, next) => conferenceNode(z, id, 'find by name', 'find', FIND, y, next);
  const line = (id, x, y, what) => lineDebug(z, id, 'result', x, y, resultLine('friendlyName', what));
  const everyoneLine = `(
    $count(payload.updated) = 0 ? "nobody to change" :
      (payload.updated[0].muted ? "muted " : "unmuted ") & $join([payload.updated.$name(call_sid)], ", ")
  ) & ($count(payload.skipped) > 0 ? "; " & $join([payload.skipped.$name($)], ", ") & " left alone" : "")`;
  return [
    tab(
      z,
      '2. Everyone',
      'Each button finds the live conference named "Weekly sync", then acts on everyone in it, and shows one line ' +
        "in the Debug sidebar. The nodes' error outputs are not wired, so a step that fails goes to the Catch node " +
        'at the bottom, which says which step and why. "Announce, then end" leaves the meeting ended: ' +
        '"Start again (emulator)" brings it back.',
    ),
    comment(z, 'demo-control-comment', 'Everyone in "Weekly sync", found by its name', 250, 40),

    button('demo-mute-all', 'Mute all but the host', 100, 'demo-find-mute'),
    find('demo-find-mute', 100, 'demo-mute-all-update'),
    updateAllNode(z, 'demo-mute-all-update', 'mute all but host', ACTION, 100, 'demo-mute-all-result', true),
    line('demo-mute-all-result', RESULT, 100, everyoneLine),

    button('demo-unmute-all', 'Unmute all but the host', 160, 'demo-find-unmute'),
    find('demo-find-unmute', 160, 'demo-unmute-all-update'),
    updateAllNode(z, 'demo-unmute-all-update', 'unmute all but host', ACTION, 160, 'demo-unmute-all-result', false),
    line('demo-unmute-all-result', RESULT, 160, everyoneLine),

    // Two rows: the list, then one removal per participant on it.
    button('demo-remove-held', 'Remove all on hold', 230, 'demo-find-held'),
    find('demo-find-held', 230, 'demo-list-held'),
    participantsNode(z, 'demo-list-held', 'list on hold', 'list', ACTION, 230, 'demo-anyone-held', undefined, {
      hold: fixed('true', 'bool'),
    }),
    switchNode(
      z,
      'demo-anyone-held',
      'anyone on hold?',
      200,
      290,
      'payload',
      [{ t: 'nempty' }, { t: 'else' }],
      [['demo-split-held'], ['demo-nobody-held']],
      ['someone on hold', 'nobody on hold'],
    ),
    {
      id: 'demo-split-held',
      type: 'split',
      z,
      name: 'each',
      splt: '\\n',
      spltType: 'str',
      arraySplt: 1,
      arraySpltType: 'len',
      stream: false,
      addname: '',
      x: 370,
      y: 290,
      wires: [['demo-remove-one']],
    },
    participantsNode(z, 'demo-remove-one', 'remove', 'remove', ACTION, 290, 'demo-removed', undefined, {
      callSid: fromMsg('payload.call_sid'),
    }),
    line('demo-removed', RESULT, 290, '"removed " & $name(payload.callSid)'),
    line('demo-nobody-held', 410, 340, '"nobody on hold"'),

    // Two rows: announce, then the pause while it plays and the end.
    button('demo-announce-end', 'Announce, then end', 410, 'demo-find-end'),
    find('demo-find-end', 410, 'demo-announce-all'),
    conferenceNode(
      z,
      'demo-announce-all',
      'announce to all',
      'announce',
      ACTION,
      410,
      'demo-wait-announce',
      undefined,
      {
        announceUrl: env('SIGNALWIRE_ANNOUNCE_URL'),
        announceMethod: fixed('GET', 'method'),
      },
    ),
    {
      id: 'demo-wait-announce',
      type: 'delay',
      z,
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
      x: 200,
      y: 470,
      wires: [['demo-end']],
    },
    conferenceNode(z, 'demo-end', 'end the meeting', 'end', 390, 470, 'demo-ended'),
    line('demo-ended', RESULT, 470, 'payload.status = "completed" ? "announced, then ended" : payload.status'),

    {
      ...inject(z, 'demo-restart', 'Start again (emulator)', INJECT, 540, 'demo-restart-request', 'Emulator', []),
      // The emulator's own control API (not SignalWire's): back to "Weekly sync" with four people.
      props: [prop('topic', 'Emulator', 'str'), emulatorUrl('reset')],
    },
    emulatorRequest(z, 'demo-restart-request', 'reset the emulator', FIND + 20, 540, [['demo-restart-result']]),
    lineDebug(
      z,
      'demo-restart-result',
      'result',
      RESULT,
      540,
      'topic & ": " & (statusCode < 300 ? "conferences back as they were at the start" : payload.error)',
    ),

    // Node-RED's own msg.error here (message, and the node that failed as source); the details are in msg._error.
    {
      id: 'demo-catch',
      type: 'catch',
      z,
      name: 'a step failed',
      scope: null,
      uncaught: false,
      x: 150,
      y: 610,
      wires: [['demo-caught']],
    },
    lineDebug(
      z,
      'demo-caught',
      'result',
      RESULT,
      610,
      `(
  ${NAMES}
  friendlyName & " (" & error.source.name & "): error " & (_error.status ? _error.status & " — " : "— ") &
    $names($substringBefore((_error.message ? _error.message : error.message) & ":", ":"))
)`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Part 3: someone joins (conference events).

function someoneJoinsPart() {
  const z = 'demo-tab-joins';
  // Erin's call: the same SID on every click, so a second "Erin joins" is the same Erin (emulator only).
  const erin = (extra) =>
    prop('payload', `{"friendlyName": "Weekly sync", "callSid": $env("SIGNALWIRE_ENDED_CALL_SID")${extra}}`, 'jsonata');
  const emulatorRefusal = `"Emulator: " & $names(payload.error)`;
  return [
    tab(
      z,
      '3. Someone joins',
      'The buttons ask the emulator (its control API) to make Erin join or hang up; SignalWire would call the same ' +
        'URL when a real caller joins. The conference events node receives her join, signed, and the flow mutes her ' +
        'because she is not a moderator.',
    ),
    comment(z, 'demo-events-comment', 'Whoever joins "Weekly sync" is muted, unless a moderator', 270, 40),
    inject(z, 'demo-erin-joins', 'Erin joins Weekly sync', 150, 100, 'demo-emulator-join', 'Erin', [
      emulatorUrl('calls/join'),
      erin(', "label": "Erin", "startConferenceOnEnter": false'),
    ]),
    emulatorRequest(z, 'demo-emulator-join', 'emulator: join', 350, 100, [['demo-join-refused']]),
    // A join that worked shows as the event below; only a refusal shows here.
    switchNode(
      z,
      'demo-join-refused',
      'refused?',
      510,
      100,
      'statusCode',
      [{ t: 'gte', v: '400', vt: 'num' }],
      [['demo-join-answer']],
      ['refused'],
    ),
    lineDebug(z, 'demo-join-answer', 'result', 660, 100, `(\n  ${NAMES}\n  ${emulatorRefusal}\n)`),
    inject(z, 'demo-erin-leaves', 'Erin hangs up', 150, 150, 'demo-emulator-leave', 'Erin', [
      emulatorUrl('calls/leave'),
      erin(''),
    ]),
    emulatorRequest(z, 'demo-emulator-leave', 'emulator: leave', 350, 150, [['demo-leave-answer']]),
    lineDebug(
      z,
      'demo-leave-answer',
      'result',
      660,
      150,
      `(\n  ${NAMES}\n  statusCode < 300 ? topic & " hung up" : ${emulatorRefusal}\n)`,
    ),

    comment(z, 'demo-events-node-comment', 'SignalWire tells the flow who joined', 220, 220),
    {
      id: 'demo-events',
      type: 'signalwire-conference-events',
      z,
      name: 'someone joined',
      signalwire: CONNECTION,
      path: DEMO_EVENTS_PATH,
      publicUrl: '',
      events: [], // all of them: the dashboard part (see demo-dashboard-flow.js) shows them all; joins lead to the mute
      verify: true,
      x: 150,
      y: 280,
      wires: [['demo-moderator']],
    },
    switchNode(
      z,
      'demo-moderator',
      'moderator?',
      330,
      280,
      { jsonata: 'topic != "participant-join" or payload.startConferenceOnEnter' },
      [{ t: 'true' }, { t: 'else' }],
      [[], ['demo-mute-joiner']],
      ['moderator: left as is', 'not a moderator'],
    ),
    updateNode(z, 'demo-mute-joiner', 'mute who joined', 510, 280, 'demo-joined', {
      conferenceSid: fromMsg('conferenceSid'),
      callSid: fromMsg('callSid'),
      muted: fixed('true', 'bool'),
    }),
    // The event names the call, not the person: the line names those the demo knows.
    lineDebug(
      z,
      'demo-joined',
      'result',
      660,
      280,
      resultLine('$name(callSid) & " joined " & $name(conferenceSid)', 'payload.muted ? "muted" : "unmuted"'),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Part 5: call someone in (call into conference, conference events).

/** Frank's phone; any number the emulator has no behaviour for answers after half a second. */
const FRANK_NUMBER = '+15551230006';
/** Where the demo's calls report how they go (the room's own events go where its first participant said). */
const DEMO_CALL_EVENTS_PATH = '/signalwire/call-events';

function callSomeoneInPart() {
  const z = 'demo-tab-call';
  const RESULT = 600;
  /** A call into conference node, on the demo's connection; From is SIGNALWIRE_FROM_NUMBER (`npm start` sets it). */
  const callNode = (id, name, action, y, errors, fields) =>
    setFields(
      {
        id,
        type: 'signalwire-call',
        z,
        name,
        signalwire: CONNECTION,
        action,
        events: 'demo-call-events',
        reportToCatch: false,
        x: 380,
        y,
        wires: [action === 'call' ? ['demo-call-remember'] : [], [errors]],
      },
      {
        to: fixed(FRANK_NUMBER, 'str'),
        from: fixed('', 'str'),
        conference: fixed('Weekly sync', 'str'),
        timeout: fixed('30', 'num'),
        callSid: fromMsg('callSid'),
        muted: { value: '', type: 'default' },
        startConferenceOnEnter: { value: '', type: 'default' },
        endConferenceOnExit: { value: '', type: 'default' },
        beep: { value: '', type: 'default' },
        waitUrl: { value: '', type: 'default' },
        ...fields,
      },
    );
  // The call's progress names the number called; the lines name Frank by it.
  const frank = `($who := $lookup({"${FRANK_NUMBER}": "Frank"}, payload.to); $who ? $who : payload.to)`;
  const progress = `(
  $step := {"call-ringing": "ringing", "call-answered": "answered", "call-completed": "call ended",
    "call-busy": "busy", "call-no-answer": "did not answer", "call-failed": "the call failed",
    "call-canceled": "stopped ringing"};
  (${frank}) & ": " & $lookup($step, topic)
)`;
  return [
    tab(
      z,
      '5. Call someone in',
      'The button calls Frank and puts him into "Weekly sync" once he answers (the emulator answers for him after ' +
        'half a second). SignalWire tells the conference events node below how his call goes, one line each; his ' +
        'join reaches the "3. Someone joins" tab, which mutes him, naming him. "Hang up on Frank" ends his call.',
    ),
    comment(z, 'demo-call-comment', 'Call Frank into "Weekly sync": he rings, answers, and is in', 250, 40),
    inject(z, 'demo-call-frank', 'Call Frank into Weekly sync', 150, 100, 'demo-call', 'Frank', []),
    // A participant, not a moderator: the meeting is on already.
    callNode('demo-call', 'call Frank in', 'call', 100, 'demo-call-failed', {
      startConferenceOnEnter: fixed('false', 'bool'),
    }),
    // Frank's call SID, for the hang-up button, and his name for the lines that know him only by it.
    {
      id: 'demo-call-remember',
      type: 'change',
      z,
      name: 'remember Frank',
      rules: [
        { t: 'set', p: 'demoFrankCall', pt: 'global', to: 'callSid', tot: 'msg' },
        {
          t: 'set',
          p: 'demoNames',
          pt: 'global',
          to: '$merge([$globalContext("demoNames"), {callSid: topic}])',
          tot: 'jsonata',
        },
      ],
      action: '',
      property: '',
      from: '',
      to: '',
      reg: false,
      x: RESULT,
      y: 80,
      wires: [[]],
    },
    lineDebug(z, 'demo-call-failed', 'result', RESULT, 120, resultLine('topic', '""')),
    {
      ...inject(z, 'demo-hang-up-frank', 'Hang up on Frank', 130, 180, 'demo-hang-up', 'Frank', []),
      props: [prop('topic', 'Frank', 'str'), prop('callSid', '$globalContext("demoFrankCall")', 'jsonata')],
    },
    callNode('demo-hang-up', 'hang up', 'hangup', 180, 'demo-hang-up-failed', {}),
    lineDebug(z, 'demo-hang-up-failed', 'result', RESULT, 180, resultLine('topic', '""')),

    comment(z, 'demo-call-events-comment', "SignalWire tells the flow how Frank's call goes", 230, 250),
    {
      id: 'demo-call-events',
      type: 'signalwire-conference-events',
      z,
      name: "Frank's call",
      signalwire: CONNECTION,
      path: DEMO_CALL_EVENTS_PATH,
      publicUrl: '',
      events: [
        'call-ringing',
        'call-answered',
        'call-completed',
        'call-busy',
        'call-no-answer',
        'call-failed',
        'call-canceled',
      ],
      verify: true,
      x: 150,
      y: 310,
      wires: [['demo-call-progress']],
    },
    lineDebug(z, 'demo-call-progress', 'progress', 380, 310, progress),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Part 6: a call comes in (incoming call, answer call).

/** Where the demo's incoming call node listens: start.js makes it the office number's voice URL. */
const DEMO_INCOMING_PATH = '/signalwire/incoming-call';
/** Anyone but Frank (FRANK_NUMBER, above) is a stranger to the office. */
const STRANGER_NUMBER = '+15559990000';

/** An answer call node; `fields` over "join, read the join options from the message, report to no one". */
function answerNode(z, id, name, x, y, result, fields) {
  const node = { id, type: 'signalwire-answer', z, name, events: 'none', reportToCatch: false };
  setFields(node, {
    action: fixed('join', 'answerAction'),
    conference: fixed('', 'str'),
    ...Object.fromEntries(
      ['muted', 'startConferenceOnEnter', 'endConferenceOnExit', 'beep', 'waitUrl'].map((f) => [
        f,
        fromMsg(`payload.${f}`),
      ]),
    ),
    text: fixed('', 'str'),
    voice: fixed('', 'default'),
    language: fixed('', 'default'),
    playUrl: fixed('', 'str'),
    ...fields,
  });
  return { ...node, x, y, wires: [[result], [result]] };
}

function callComesInPart() {
  const z = 'demo-tab-call-in';
  // The office number is the emulator's (start.js builds before it writes the flow).
  const { DEMO_NUMBERS } = require('../dist/emulator');
  const call = (from) => payload({ from, to: DEMO_NUMBERS.office });
  const caller = `(payload.from = "${FRANK_NUMBER}" ? "Frank" : payload.from)`;
  const answered = (what) => `${caller} & (error ? ": error — " & error.message : ${what})`;
  return [
    tab(
      z,
      '6. A call comes in',
      'The buttons ask the emulator (its control API) to make a call come in to the office number, ' +
        `${DEMO_NUMBERS.office}, whose voice URL is this tab's incoming call node (npm start set it). The emulator ` +
        'fetches it, signed, as SignalWire does; the flow answers: Frank, whom it knows, joins "Weekly sync", anyone ' +
        'else hears a message. Weekly sync already reports its events to "3. Someone joins" (its first ' +
        'participant decided), so the answer reports them to no one else.',
    ),
    comment(z, 'demo-call-in-comment', 'A call comes in to the office number', 230, 40),
    inject(z, 'demo-frank-calls', 'Frank calls the office', 150, 100, 'demo-emulator-call-in', 'Frank', [
      emulatorUrl('calls/incoming'),
      call(FRANK_NUMBER),
    ]),
    inject(z, 'demo-stranger-calls', 'A stranger calls the office', 160, 150, 'demo-emulator-call-in', 'a stranger', [
      emulatorUrl('calls/incoming'),
      call(STRANGER_NUMBER),
    ]),
    emulatorRequest(z, 'demo-emulator-call-in', 'emulator: call in', 370, 125, [['demo-call-in-refused']]),
    // A call that came in shows as its answer below; only a refusal shows here.
    switchNode(
      z,
      'demo-call-in-refused',
      'refused?',
      520,
      125,
      'statusCode',
      [{ t: 'gte', v: '400', vt: 'num' }],
      [['demo-call-in-refusal']],
      ['refused'],
    ),
    lineDebug(z, 'demo-call-in-refusal', 'result', 660, 125, '"Emulator: " & payload.error'),

    comment(z, 'demo-answer-comment', 'SignalWire asks the flow how to answer', 240, 220),
    {
      id: 'demo-incoming',
      type: 'signalwire-incoming-call',
      z,
      name: 'a call to the office',
      signalwire: CONNECTION,
      path: DEMO_INCOMING_PATH,
      publicUrl: '',
      answerWithin: 5,
      fallback: 'reject',
      fallbackText: '',
      x: 160,
      y: 290,
      wires: [['demo-known-caller']],
    },
    switchNode(
      z,
      'demo-known-caller',
      'Frank?',
      320,
      290,
      'payload.from',
      [{ t: 'eq', v: FRANK_NUMBER, vt: 'str' }, { t: 'else' }],
      [['demo-answer-join'], ['demo-answer-say']],
      ['Frank', 'anyone else'],
    ),
    answerNode(z, 'demo-answer-join', 'join Weekly sync', 490, 270, 'demo-answer-joined', {
      conference: fixed('Weekly sync', 'str'),
    }),
    lineDebug(z, 'demo-answer-joined', 'result', 660, 270, answered('" joined " & answer.room')),
    answerNode(z, 'demo-answer-say', 'a message', 490, 320, 'demo-answer-said', {
      action: fixed('say', 'answerAction'),
      text: fixed('Hello, this is the office. We do not know your number: please call again later.', 'str'),
    }),
    lineDebug(z, 'demo-answer-said', 'result', 660, 320, answered('" heard the message"')),
  ];
}

// ---------------------------------------------------------------------------------------------------------------

function demoFlow() {
  return [
    {
      id: CONNECTION,
      type: 'signalwire-config',
      // Unnamed, so the editor shows "SignalWire (environment)", or the space once one is typed in.
      name: '',
      space: '',
      timeout: 10000,
      retries: 3,
      maxInFlight: 10,
    },
    ...onePersonPart(),
    ...everyonePart(),
    ...someoneJoinsPart(),
    ...callSomeoneInPart(),
    ...callComesInPart(),
  ];
}

module.exports = {
  demoFlow,
  demoSidEnv,
  audioUrlDefaults,
  emulatorRequest,
  DEMO_EVENTS_PATH,
  FRANK_NUMBER,
  DEMO_INCOMING_PATH,
};
