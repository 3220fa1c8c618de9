import type { Node, NodeAPI } from 'node-red';
import {
  listParticipants,
  removeParticipant,
  retrieveParticipant,
  SignalWireError,
  type ConferenceParticipant,
} from '../lib/index';
import { summarizeParticipant } from '../lib/resources/participant-summary';
import { fieldReader, setValues } from './field-reader';
import { setUpActionNode, type ActionNodeDef } from './action-node';
import { CALL_SID_FIELD, CONFERENCE_SID_FIELD, PARTICIPANT_FILTER_FIELDS } from './field-definitions';

const NAMESPACE = 'signalwire-participants';
const ACTIONS = ['list', 'get', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

export = function (RED: NodeAPI) {
  function ParticipantsNode(this: Node, def: ActionNodeDef) {
    RED.nodes.createNode(this, def);
    const action = (ACTIONS as readonly string[]).includes(def.action as string) ? (def.action as Action) : undefined;
    const status = (key: string, values?: Record<string, string | number>) =>
      RED._(`${NAMESPACE}.status.${key}`, values);
    const words = {
      muted: status('muted'),
      unmuted: status('unmuted'),
      onHold: status('onHold'),
      coaching: status('coaching'),
    };

    const fields = fieldReader(RED, this, def, NAMESPACE);
    const conferenceSid = fields.field(CONFERENCE_SID_FIELD);
    const callSid = fields.field(CALL_SID_FIELD);
    const filters = PARTICIPANT_FILTER_FIELDS.map((f) => fields.field(f));

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
        if (action === 'list') {
          const [sid, ...values] = await read([conferenceSid, ...filters]);
          require(conferenceSid, sid);
          const participants = await listParticipants(client, sid, setValues(filters, values));
          return { set: { payload: participants }, status: status('listed', { count: participants.length }) };
        }
        const [sid, call] = await read([conferenceSid, callSid]);
        require(conferenceSid, sid);
        require(callSid, call);
        if (action === 'get') {
          const participant: ConferenceParticipant = await retrieveParticipant(client, sid, call);
          return { set: { payload: participant }, status: summarizeParticipant(participant, words) };
        }
        const removed = await removeParticipant(client, sid, call);
        return {
          set: {
            payload: { conferenceSid: removed.conferenceSid, callSid: removed.callSid, removed: true },
            statusCode: removed.statusCode,
          },
          status: status('removed'),
        };
      },
    });
  }

  RED.nodes.registerType('signalwire-participants', ParticipantsNode);
};
