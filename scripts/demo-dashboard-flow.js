'use strict';
// The demo's Dashboard 2 part: one tab with the conference panel for "Weekly sync" on /dashboard, fed by the demo's
// conference events node (through a link), with the names of the people in the room and, on the page, buttons
// that have the emulator make Erin join or leave. `npm start` installs Dashboard 2 beside this package.
const fs = require('node:fs');
const path = require('node:path');
const { emulatorRequest } = require('./demo-flow');

const tab = 'demo-dashboard-tab';
/** The link out the demo's conference events node sends every event to; the panel's tab listens to it. */
const EVENTS_LINK_OUT = 'demo-dashboard-events-out';
const EVENTS_LINK_IN = 'demo-dashboard-events-in';
const PANEL = 'demo-dashboard-panel';
/** The link outs that bring the emulator buttons' results back to the panel (through its link in). */
const TO_PANEL = ['demo-dashboard-to-panel-erin', 'demo-dashboard-to-panel-reset'];
const WIDGET_PACKAGE = '@callflows/node-red-dashboard-2-signalwire';
const DASHBOARD_PACKAGE = '@flowfuse/node-red-dashboard';

/** The link out beside the demo's conference events node (which is wired to it), on that node's tab. */
function eventsLinkOut(events) {
  return {
    id: EVENTS_LINK_OUT,
    type: 'link out',
    z: events.z,
    name: 'to the dashboard panel',
    mode: 'link',
    links: [EVENTS_LINK_IN],
    x: events.x + 30,
    y: events.y + 50,
    wires: [],
  };
}

/** A link out at the end of an emulator button's row, back to the panel's link in. */
function linkToPanel(id, y) {
  return {
    id,
    type: 'link out',
    z: tab,
    name: 'to the panel',
    mode: 'link',
    links: [EVENTS_LINK_IN],
    x: 695,
    y,
    wires: [],
  };
}

/** An emulator control request (its own API, not SignalWire's) from a dashboard button. */
function emulatorButton(id, label, order, route, body, y, next) {
  return [
    {
      id,
      type: 'ui-button',
      z: tab,
      group: 'demo-dashboard-group-emulator',
      name: label,
      label,
      order,
      width: 0,
      height: 0,
      tooltip: '',
      color: '',
      bgcolor: '',
      className: '',
      icon: '',
      iconPosition: 'left',
      payload: JSON.stringify(body),
      payloadType: 'json',
      // The emulator's control route (the demo's space is the emulator), which the request below reads.
      topic: `$env('SIGNALWIRE_SPACE') & '/__emulator/${route}'`,
      topicType: 'jsonata',
      buttonColor: '',
      textColor: '',
      iconColor: '',
      enableClick: true,
      enablePointerdown: false,
      pointerdownPayload: '',
      pointerdownPayloadType: 'str',
      enablePointerup: false,
      pointerupPayload: '',
      pointerupPayloadType: 'str',
      x: 150,
      y,
      wires: [[`${id}-request`]],
    },
    // The button's topic is the URL, where the demo's other emulator requests are given it in msg.url.
    {
      ...emulatorRequest(tab, `${id}-request`, `emulator: ${route}`, 380, y, next ? [[next]] : [[]]),
      url: '{{{topic}}}',
    },
  ];
}

/**
 * The demo flow with the dashboard tab added: the panel uses the demo's SignalWire connection and gets the events of
 * its conference events node. The people of the seeded "Weekly sync" get their names by call SID, read from the
 * same environment variables as the rest of the demo.
 */
function demoDashboardFlow(demo) {
  const signalwire = demo.find((node) => node.type === 'signalwire-config').id;
  const events = demo.find((node) => node.type === 'signalwire-conference-events');
  const fed = { ...events, wires: [[...events.wires[0], EVENTS_LINK_OUT]] };
  const flow = [...demo.map((node) => (node === events ? fed : node)), eventsLinkOut(events)];
  // The panel's tab comes right after the tab of the node that feeds it, before the parts that follow.
  const feeding = flow.findIndex((node) => node.id === events.z);
  const next = flow.findIndex((node, i) => i > feeding && node.type === 'tab');
  const at = next < 0 ? flow.length : next;
  return [...flow.slice(0, at), ...dashboardTab(signalwire), ...flow.slice(at)];
}

/** The nodes of the dashboard tab; `signalwire` is the id of the SignalWire connection (config node). */
function dashboardTab(signalwire) {
  const names = `{
  $env('SIGNALWIRE_HOST_CALL_SID'): 'Alice (host)',
  $env('SIGNALWIRE_PARTICIPANT_CALL_SID'): 'Bob',
  $env('SIGNALWIRE_AGENT_CALL_SID'): 'Carol (agent)',
  $env('SIGNALWIRE_SUPERVISOR_CALL_SID'): 'Dave (supervisor)'
}`;
  return [
    {
      id: tab,
      type: 'tab',
      label: '4. Dashboard panel',
      disabled: false,
      info:
        'The conference panel for "Weekly sync" on /dashboard. It stays live from the conference events node (on' +
        ' the "3. Someone joins" tab, through the link); it reads the participants list on start, when a browser' +
        ' connects or reconnects, and when an event names someone it did not know of.',
    },
    {
      id: 'demo-dashboard-base',
      type: 'ui-base',
      name: 'SignalWire demo',
      path: '/dashboard',
      appIcon: '',
      includeClientData: true,
      acceptsClientConfig: ['ui-notification', 'ui-control'],
      showPathInSidebar: false,
      headerContent: 'page',
      navigationStyle: 'default',
      titleBarStyle: 'default',
    },
    {
      id: 'demo-dashboard-theme',
      type: 'ui-theme',
      name: 'Default',
      colors: {
        surface: '#ffffff',
        primary: '#0094ce',
        bgPage: '#eeeeee',
        groupBg: '#ffffff',
        groupOutline: '#cccccc',
      },
      sizes: { density: 'default', pagePadding: '12px', groupGap: '12px', groupBorderRadius: '4px', widgetGap: '12px' },
    },
    {
      id: 'demo-dashboard-page',
      type: 'ui-page',
      name: 'Weekly sync',
      ui: 'demo-dashboard-base',
      path: '/weekly-sync',
      icon: 'phone-in-talk',
      layout: 'grid',
      theme: 'demo-dashboard-theme',
      breakpoints: [
        { name: 'Default', px: 0, cols: 3 },
        { name: 'Tablet', px: 576, cols: 6 },
        { name: 'Small Desktop', px: 768, cols: 9 },
        { name: 'Desktop', px: 1024, cols: 12 },
      ],
      order: 1,
      className: '',
      visible: 'true',
      disabled: 'false',
    },
    {
      id: 'demo-dashboard-group',
      type: 'ui-group',
      name: 'Weekly sync',
      page: 'demo-dashboard-page',
      width: '12',
      height: '1',
      order: 1,
      showTitle: false,
      className: '',
      visible: 'true',
      disabled: 'false',
      groupType: 'default',
    },
    {
      id: 'demo-dashboard-group-emulator',
      type: 'ui-group',
      name: 'Emulator (demo only)',
      page: 'demo-dashboard-page',
      width: '12',
      height: '1',
      order: 2,
      showTitle: true,
      className: '',
      visible: 'true',
      disabled: 'false',
      groupType: 'default',
    },
    {
      id: 'demo-dashboard-comment',
      type: 'comment',
      z: tab,
      name: 'Open http://127.0.0.1:1880/dashboard: the panel for "Weekly sync"',
      info: 'Every button press on the panel and its result leave on its output (the debug node "panel presses").',
      x: 290,
      y: 40,
      wires: [],
    },
    {
      id: EVENTS_LINK_IN,
      type: 'link in',
      z: tab,
      name: 'to the panel',
      links: [EVENTS_LINK_OUT, ...TO_PANEL],
      x: 135,
      y: 100,
      wires: [[PANEL]],
    },
    {
      id: 'demo-dashboard-names',
      type: 'inject',
      z: tab,
      name: 'names of the people in the room',
      props: [{ p: 'labels', v: names, vt: 'jsonata' }],
      repeat: '',
      crontab: '',
      once: true,
      onceDelay: 0.1,
      topic: '',
      x: 190,
      y: 150,
      wires: [[PANEL]],
    },
    {
      id: PANEL,
      type: 'ui-signalwire-conference',
      z: tab,
      name: '',
      group: 'demo-dashboard-group',
      order: 1,
      width: 0,
      height: 0,
      signalwire,
      room: 'Weekly sync',
      holdUrl: '',
      // Events keep it live; it reads the list on start, when a browser (re)connects and after a missed event.
      refresh: 0,
      x: 400,
      y: 100,
      wires: [['demo-dashboard-presses']],
    },
    {
      id: 'demo-dashboard-presses',
      type: 'debug',
      z: tab,
      name: 'panel presses',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'true',
      targetType: 'full',
      statusVal: '',
      statusType: 'auto',
      x: 600,
      y: 100,
      wires: [],
    },
    ...emulatorButton(
      'demo-dashboard-erin-joins',
      'Erin joins',
      1,
      'calls/join',
      { friendlyName: 'Weekly sync', label: 'Erin', startConferenceOnEnter: false },
      240,
      'demo-dashboard-erin-name',
    ),
    {
      // The emulator answers with the new call: the panel names it.
      id: 'demo-dashboard-erin-name',
      type: 'change',
      z: tab,
      name: 'name her call "Erin"',
      rules: [{ t: 'set', p: 'labels', pt: 'msg', to: '{ payload.participant.call_sid: "Erin" }', tot: 'jsonata' }],
      action: '',
      property: '',
      from: '',
      to: '',
      reg: false,
      x: 570,
      y: 240,
      wires: [[TO_PANEL[0]]],
    },
    linkToPanel(TO_PANEL[0], 240),
    ...emulatorButton(
      'demo-dashboard-erin-leaves',
      'Erin leaves',
      2,
      'calls/leave',
      { friendlyName: 'Weekly sync', label: 'Erin' },
      300,
    ),
    ...emulatorButton('demo-dashboard-reset', 'Start the demo again', 3, 'reset', {}, 360, 'demo-dashboard-refresh'),
    {
      // No event tells of a reset: the panel reads the room again.
      id: 'demo-dashboard-refresh',
      type: 'change',
      z: tab,
      name: 'read the room again',
      rules: [{ t: 'set', p: 'refresh', pt: 'msg', to: 'true', tot: 'bool' }],
      action: '',
      property: '',
      from: '',
      to: '',
      reg: false,
      x: 570,
      y: 360,
      wires: [[TO_PANEL[1]]],
    },
    linkToPanel(TO_PANEL[1], 360),
  ];
}

/**
 * Installs Dashboard 2 and the conference panel into the demo's user directory the way npm would (linked from
 * this repository's node_modules and packages/), and returns the dependencies to list in its package.json:
 * Dashboard finds third-party widgets through that list.
 */
function linkDashboard(root, userDir) {
  const widgetDir = path.join(root, 'packages', 'dashboard-2');
  const dashboardDir = path.join(root, 'node_modules', ...DASHBOARD_PACKAGE.split('/'));
  if (!fs.existsSync(path.join(widgetDir, 'resources', 'ui-signalwire-conference.umd.js'))) {
    throw new Error('the conference panel is not built: run `npm run build`, then `npm start` again');
  }
  if (!fs.existsSync(dashboardDir))
    throw new Error('Dashboard 2 is not installed: run `npm ci`, then `npm start` again');
  const dependencies = {};
  for (const [name, dir] of [
    [DASHBOARD_PACKAGE, dashboardDir],
    [WIDGET_PACKAGE, widgetDir],
  ]) {
    const link = path.join(userDir, 'node_modules', ...name.split('/'));
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(dir, link, 'dir');
    dependencies[name] = `file:${dir}`;
  }
  return dependencies;
}

module.exports = { demoDashboardFlow, linkDashboard, EVENTS_LINK_OUT };
