import type { Node, NodeAPI } from 'node-red';
import {
  announceToConference,
  endConference,
  findConference,
  listConferences,
  retrieveConference,
  SignalWireError,
  type Conference,
} from '../lib/index';
import { fieldReader } from './field-reader';
import { setUpActionNode, type ActionNodeDef, type Outcome } from './action-node';
import {
  ANNOUNCE_FIELDS,
  CONFERENCE_SID_FIELD,
  CONFERENCE_STATUS_FIELD,
  FRIENDLY_NAME_FIELD,
} from './field-definitions';

const NAMESPACE = 'signalwire-conference';
const ACTIONS = ['find', 'get', 'list', 'end', 'announce'] as const;
type Action = (typeof ACTIONS)[number];

export = function (RED: NodeAPI) {
  function ConferenceNode(this: Node, def: ActionNodeDef) {
    RED.nodes.createNode(this, def);
    const action = (ACTIONS as readonly string[]).includes(def.action as string) ? (def.action as Action) : undefined;
    const status = (key: string, values?: Record<string, string | number>) =>
      RED._(`${NAMESPACE}.status.${key}`, values);
    const found = (conference: Conference, text: string): Outcome => ({
      set: { payload: conference, conferenceSid: conference.sid },
      status: text,
    });

    const fields = fieldReader(RED, this, def, NAMESPACE);
    const friendlyName = fields.field(FRIENDLY_NAME_FIELD);
    const conferenceSid = fields.field(CONFERENCE_SID_FIELD);
    const statusFilter = fields.field(CONFERENCE_STATUS_FIELD);
    const announce = ANNOUNCE_FIELDS.map((f) => fields.field(f));

    setUpActionNode(RED, this, def, {
      namespace: NAMESPACE,
      fields,
      async handle(_msg, { client, read, require }) {
        if (!action) {
          throw new SignalWireError(
            RED._(`${NAMESPACE}.errors.badAction`, { action: String(def.action) }),
            'validation',
          );
        }
        switch (action) {
          case 'find': {
            const [name] = await read([friendlyName]);
            require(friendlyName, name);
            const conference = await findConference(client, name);
            return found(conference, conference.status);
          }
          case 'get': {
            const [sid] = await read([conferenceSid]);
            require(conferenceSid, sid);
            const conference = await retrieveConference(client, sid);
            return found(conference, conference.status);
          }
          case 'end': {
            const [sid] = await read([conferenceSid]);
            require(conferenceSid, sid);
            return found(await endConference(client, sid), status('ended'));
          }
          case 'announce': {
            const [sid, announceUrl, announceMethod] = await read([conferenceSid, ...announce]);
            require(conferenceSid, sid);
            require(announce[0]!, announceUrl);
            const announcement: Record<string, unknown> = { announceUrl };
            if (announceMethod !== undefined) announcement.announceMethod = announceMethod;
            return found(await announceToConference(client, sid, announcement), status('announced'));
          }
          case 'list': {
            const [name, wanted] = await read([friendlyName, statusFilter]);
            const filter: Record<string, unknown> = {};
            if (name !== undefined && name !== '') filter.friendlyName = name;
            if (wanted !== undefined && wanted !== '') filter.status = wanted;
            const conferences = await listConferences(client, filter);
            return { set: { payload: conferences }, status: status('listed', { count: conferences.length }) };
          }
        }
      },
    });
  }

  RED.nodes.registerType('signalwire-conference', ConferenceNode);
};
