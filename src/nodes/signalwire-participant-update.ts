import type { Node, NodeAPI } from 'node-red';
import type { ConferenceParticipant } from '../lib/types';
import { summarizeParticipant } from '../lib/resources/participant-summary';
import { setUpActionNode, type ActionNodeDef } from './action-node';
import { CALL_SID_FIELD, CONFERENCE_SID_FIELD, PARTICIPANT_OPTION_FIELDS } from './field-definitions';
import { fieldReader, setValues, UNCHANGED } from './field-reader';

const NAMESPACE = 'signalwire-participant-update';

export = function (RED: NodeAPI) {
  function ParticipantUpdateNode(this: Node, def: ActionNodeDef) {
    RED.nodes.createNode(this, def);
    const status = (key: string) => RED._(`${NAMESPACE}.status.${key}`);
    const words = {
      muted: status('muted'),
      unmuted: status('unmuted'),
      onHold: status('onHold'),
      coaching: status('coaching'),
    };

    const fields = fieldReader(RED, this, def, NAMESPACE);
    const conferenceSid = fields.field(CONFERENCE_SID_FIELD);
    const callSid = fields.field(CALL_SID_FIELD);
    // A field left "unchanged" is never read.
    const options = PARTICIPANT_OPTION_FIELDS.map((f) => fields.field(f)).filter((f) => f.type !== UNCHANGED);

    setUpActionNode(RED, this, def, {
      namespace: NAMESPACE,
      fields,
      async handle(_msg, { client, read, require }) {
        const [conference, call, ...values] = await read([conferenceSid, callSid, ...options]);
        require(conferenceSid, conference);
        require(callSid, call);
        const result = await client.updateParticipant(conference, call, setValues(options, values));
        return {
          set: { payload: result.participant, statusCode: result.statusCode },
          status: summarizeParticipant(result.participant as ConferenceParticipant, words),
        };
      },
    });
  }

  RED.nodes.registerType('signalwire-participant-update', ParticipantUpdateNode);
};
