/**
 * The conference panel: a Dashboard 2 widget showing one SignalWire conference room live, with buttons to mute,
 * hold or remove someone, mute everyone but the host, and end the meeting. The room itself is kept by RoomPanel
 * (in @callflows/node-red-signalwire); this file connects it to Node-RED and to Dashboard 2:
 *
 * - input: conference events (wired from the conference events node), and commands: msg.room,
 *   msg.conferenceSid, msg.labels, msg.refresh;
 * - every change: the room's view is saved in Dashboard's data store (what a browser gets when it loads) and sent
 *   to every browser showing the dashboard (`msg-input`), so all of them show the same;
 * - buttons: a browser sends `widget-action`; `beforeSend` runs the press and returns the message the node sends:
 *   the press and its result.
 */
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import {
  callEventOf,
  checkRoomTarget,
  conferenceEventOf,
  inWords,
  RoomPanel,
  type NormalizedError,
  type PressOutcome,
  type RoomTarget,
  type RoomView,
  type SignalWireClient,
} from '@callflows/node-red-signalwire';

interface PanelDef extends NodeDef {
  group: string;
  signalwire?: string;
  room?: string;
  holdUrl?: string;
  refresh?: string | number;
  order?: number;
  width?: string | number;
  height?: string | number;
  /** The panel's words in the editor's language, given to the browser with the widget's settings. */
  words?: Record<string, unknown>;
}

/** What this widget needs of Dashboard 2's group and base nodes (see its third-party widget guide). */
interface DashboardBase {
  emit(event: string, msg: NodeMessage, node: Node): void;
  stores: { data: { save(base: DashboardBase, node: Node, msg: NodeMessage): void } };
}
interface DashboardGroup extends Node {
  getBase(): DashboardBase;
  register(node: Node, config: PanelDef, events: WidgetEvents): void;
}
interface WidgetEvents {
  onAction: boolean;
  beforeSend(msg: NodeMessage): Promise<NodeMessage | null>;
  onInput(msg: NodeMessage, send: (msg: NodeMessage) => void): Promise<void>;
}
interface Connection extends Node {
  getClient(): SignalWireClient;
}

/** What a browser sends for a button (`_event`, as Dashboard's own widgets mark what comes from a browser). */
const PRESS = 'signalwire-press';
const NS = 'ui-signalwire-conference';
const MAX_REFRESH_SECONDS = 86_400;
const DEFAULT_REFRESH_SECONDS = 30;
const PANEL_WORDS = [
  'room',
  'noRoom',
  'empty',
  'count',
  'people',
  'host',
  'inFor',
  'muted',
  'live',
  'onHold',
  'coaching',
  'talking',
  'mute',
  'unmute',
  'hold',
  'unhold',
  'remove',
  'confirm',
  'muteAll',
  'end',
  'working',
  'muteLabel',
  'unmuteLabel',
  'holdLabel',
  'unholdLabel',
  'removeLabel',
  'confirmLabel',
  'muteAllLabel',
  'endLabel',
];
const STATUSES = ['unknown', 'init', 'in-progress', 'completed', 'not-found'];

export = function (RED: NodeAPI) {
  function ConferencePanelNode(this: Node, config: PanelDef) {
    RED.nodes.createNode(this, config);
    setUp(this, config);
  }

  function setUp(node: Node, config: PanelDef) {
    const t = (key: string, values?: Record<string, string | number>) => RED._(`${NS}.${key}`, values);
    const group = RED.nodes.getNode(config.group) as DashboardGroup | null;
    if (!group) {
      node.error(t('errors.noGroup'));
      node.status({ fill: 'red', shape: 'ring', text: t('status.noGroup') });
      return;
    }
    const base = group.getBase();
    const connection = (config.signalwire ? RED.nodes.getNode(config.signalwire) : null) as Connection | null;
    const refreshSetting = readRefresh(config.refresh);
    const room = typeof config.room === 'string' ? config.room.trim() : '';
    const holdUrl = typeof config.holdUrl === 'string' ? config.holdUrl.trim() : '';
    /** The messages beforeSend made from presses, so onInput knows one when a flow sent the press. */
    const outcomes = new WeakSet<NodeMessage>();
    let timer: NodeJS.Timeout | undefined;

    config.words = {
      ...Object.fromEntries(PANEL_WORDS.map((key) => [key, t(`panel.${key}`)])),
      status: Object.fromEntries(STATUSES.map((key) => [key, t(`panel.status.${key}`)])),
    };

    // Repeating an identical status costs an editor event per change for nothing.
    let lastStatus = '';
    const publish = (view: RoomView) => {
      const msg: NodeMessage = { payload: view };
      base.stores.data.save(base, node, msg);
      base.emit(`msg-input:${node.id}`, msg, node);
      const status = statusOf(view);
      if (status.text !== lastStatus) node.status(status);
      lastStatus = status.text;
    };

    let panel: RoomPanel | undefined;
    let client: SignalWireClient | undefined;
    if (!connection) {
      node.error(t('errors.noConnection'));
      node.status({ fill: 'red', shape: 'ring', text: t('status.noConnection') });
    } else {
      try {
        client = connection.getClient();
      } catch (error) {
        node.error((error as Error).message);
        node.status({ fill: 'red', shape: 'ring', text: t('status.badSettings') });
      }
    }
    if (client) {
      panel = new RoomPanel({
        client,
        onChange: publish,
        hold: holdUrl ? { holdUrl, holdMethod: 'GET' } : {},
        describe: (outcome) => describe(outcome, t),
        describeProblem: (error) => t('failed.unreadable', { reason: inWords(error) }),
      });
      if (refreshSetting === undefined) node.error(t('errors.badRefresh', { value: JSON.stringify(config.refresh) }));
      const refreshSeconds = refreshSetting ?? DEFAULT_REFRESH_SECONDS;
      if (room) showRoom(panel, room);
      else node.status({ fill: 'grey', shape: 'ring', text: t('status.noRoom') });
      if (refreshSeconds) {
        timer = setInterval(() => void panel?.refresh(), refreshSeconds * 1000);
        timer.unref();
      }
    }

    /** The form's room; one that is no conference name leaves the panel waiting for msg.room. */
    function showRoom(target: RoomPanel, name: string) {
      try {
        void target.switchTo({ friendlyName: name });
      } catch (error) {
        node.error((error as Error).message);
        node.status({ fill: 'red', shape: 'ring', text: t('status.badSettings') });
      }
    }

    /** A press from a browser: run it, and return what the node sends (the press and its result). */
    const runPress = async (press: Record<string, unknown>): Promise<NodeMessage | null> => {
      if (press.action === 'refresh') {
        await panel?.refresh();
        return null;
      }
      const outcome: PressOutcome = panel
        ? await panel.press(press.action, press.callSid)
        : {
            action: String(press.action),
            ok: false,
            error: { message: t('errors.noConnection'), source: 'validation' },
          };
      const out: NodeMessage & Record<string, unknown> = { topic: outcome.action, payload: outcome };
      if (outcome.conferenceSid) out.conferenceSid = outcome.conferenceSid;
      if (outcome.callSid) out.callSid = outcome.callSid;
      if (outcome.error) out.error = outcome.error;
      outcomes.add(out);
      return out;
    };

    const events: WidgetEvents = {
      onAction: true,
      async beforeSend(msg) {
        const mark = (msg as { _event?: { type?: unknown } })._event;
        if (mark?.type !== PRESS) return msg;
        const press = msg.payload !== null && typeof msg.payload === 'object' ? msg.payload : {};
        return runPress(press as Record<string, unknown>);
      },
      async onInput(msg, send) {
        if (outcomes.has(msg)) return send(msg);
        if (!panel) throw new Error(t('errors.noConnection'));
        const event = conferenceEventOf(msg.payload);
        if (event) return panel.handleEvent(event);
        // A call's own progress (ringing, answered...) from the same events node changes nobody in the room yet.
        if (callEventOf(msg.payload)) return;
        handleCommand(panel, msg as NodeMessage & Record<string, unknown>);
      },
    };

    const handleCommand = (target: RoomPanel, msg: NodeMessage & Record<string, unknown>) => {
      const { room: name, conferenceSid, labels, refresh } = msg;
      if (name === undefined && conferenceSid === undefined && labels === undefined && refresh === undefined) {
        throw new Error(t('errors.nothingToDo'));
      }
      if (name !== undefined && typeof name !== 'string') {
        throw new Error(t('errors.badRoom', { value: JSON.stringify(name) ?? String(name) }));
      }
      // Both checked before either is applied: a message with a bad room renames nobody, and bad labels switch no room.
      let room: RoomTarget | undefined;
      if (conferenceSid !== undefined) room = checkRoomTarget({ conferenceSid: conferenceSid as string });
      else if (name !== undefined) room = checkRoomTarget({ friendlyName: name });
      if (labels !== undefined) target.setLabels(labels);
      if (room) void target.switchTo(room);
      else if (refresh) void target.refresh();
    };

    group.register(node, config, events);

    node.on('close', (_removed: boolean, done: () => void) => {
      if (timer) clearInterval(timer);
      panel?.close();
      done();
    });
  }

  /** Status under the node: how many are in the room, or why it shows nobody. */
  function statusOf(view: RoomView) {
    const t = (key: string, values?: Record<string, string | number>) => RED._(`${NS}.status.${key}`, values);
    if (view.problem) return { fill: 'red' as const, shape: 'ring' as const, text: t('unreadable') };
    if (view.status === 'not-found') return { fill: 'yellow' as const, shape: 'ring' as const, text: t('waiting') };
    if (view.status === 'completed') return { fill: 'grey' as const, shape: 'ring' as const, text: t('ended') };
    return { fill: 'green' as const, shape: 'dot' as const, text: t('people', { count: view.people.length }) };
  }

  RED.nodes.registerType('ui-signalwire-conference', ConferencePanelNode);
};

/** Seconds between list reads; undefined when the setting is not a usable number (the default is used). */
function readRefresh(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_REFRESH_SECONDS;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_REFRESH_SECONDS ? seconds : undefined;
}

/** The notice a press leaves on the panel, in the editor's language. */
function describe(outcome: PressOutcome, t: (key: string, values?: Record<string, string | number>) => string): string {
  const name = outcome.name ?? '';
  const known = ['mute', 'unmute', 'hold', 'unhold', 'remove', 'mute-all', 'end'].includes(outcome.action);
  if (!outcome.ok) {
    const reason = inWords(outcome.error as NormalizedError);
    return t(`failed.${known ? outcome.action : 'other'}`, { name, reason });
  }
  const result = outcome.result as { updated?: unknown[]; failed?: Array<{ error: NormalizedError }> } | undefined;
  if (outcome.action === 'mute-all' && result?.failed?.length) {
    const updated = result.updated?.length ?? 0;
    return t('done.mute-all-partly', {
      updated,
      failed: result.failed.length,
      reason: inWords(result.failed[0]!.error),
    });
  }
  return t(`done.${outcome.action}`, { name });
}
