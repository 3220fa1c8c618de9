import type { Node, NodeAPI } from 'node-red';
import type { ConferenceParticipant } from '../lib/types';
import { summarizeParticipant } from '../lib/participant-summary';
import { configuredField, setUpActionNode, type ActionNodeDef } from './action-node';
import { CALL_SID_FIELD, CONFERENCE_SID_FIELD, PARTICIPANT_OPTION_FIELDS } from './field-definitions';
import { UNCHANGED } from './field-reader';

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

    const { fields } = setUpActionNode(RED, this, def, {
      namespace: NAMESPACE,
      async handle(_msg, { client, read, require }) {
        const [conference, call, ...values] = await read([conferenceSid, callSid, ...options]);
        require(conferenceSid, conference);
        require(callSid, call);
        const chosen: Record<string, unknown> = {};
        options.forEach((f, i) => {
          if (values[i] !== undefined) chosen[f.name] = values[i];
        });
        const result = await client.updateParticipant(conference, call, chosen);
        return {
          set: { payload: result.participant, statusCode: result.statusCode },
          status: summarizeParticipant(result.participant as ConferenceParticipant, words),
        };
      },
    });
    const conferenceSid = configuredField(fields, CONFERENCE_SID_FIELD);
    const callSid = configuredField(fields, CALL_SID_FIELD);
    // A field left "unchanged" is never read.
    const options = PARTICIPANT_OPTION_FIELDS.map((f) => configuredField(fields, f)).filter(
      (f) => f.type !== UNCHANGED,
    );
  }

  RED.nodes.registerType('signalwire-participant-update', ParticipantUpdateNode);
};
