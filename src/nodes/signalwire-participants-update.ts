import type { Node, NodeAPI } from 'node-red';
import { SignalWireError, updateEveryone } from '../lib/index';
import { setUpActionNode, type ActionNodeDef } from './action-node';
import { CONFERENCE_SID_FIELD, EXCEPT_FIELD, PARTICIPANT_OPTION_FIELDS } from './field-definitions';
import { fieldReader, setValues, UNCHANGED } from './field-reader';

const NAMESPACE = 'signalwire-participants-update';

export = function (RED: NodeAPI) {
  function ParticipantsUpdateNode(this: Node, def: ActionNodeDef) {
    RED.nodes.createNode(this, def);
    const skipModerators = def.skipModerators === true;
    const status = (key: string, values?: Record<string, string | number>) =>
      RED._(`${NAMESPACE}.status.${key}`, values);

    const fields = fieldReader(RED, this, def, NAMESPACE);
    const conferenceSid = fields.field(CONFERENCE_SID_FIELD);
    const except = fields.field(EXCEPT_FIELD);
    const options = PARTICIPANT_OPTION_FIELDS.map((f) => fields.field(f)).filter((f) => f.type !== UNCHANGED);

    setUpActionNode(RED, this, def, {
      namespace: NAMESPACE,
      fields,
      async handle(_msg, { client, read, require }) {
        const [sid, exceptValue, ...values] = await read([conferenceSid, except, ...options]);
        require(conferenceSid, sid);
        const result = await updateEveryone(client, sid, setValues(options, values), {
          except: exceptValue === '' ? undefined : (exceptValue as string[] | string | undefined),
          skipModerators,
        });
        const counts = { updated: result.updated.length, skipped: result.skipped.length, gone: result.gone.length };
        if (result.allModerators) {
          const warning = RED._(`${NAMESPACE}.errors.allModerators`, { count: result.skipped.length });
          return { set: { payload: result }, status: status('allModerators'), warning };
        }
        if (result.failed.length === 0) {
          return { set: { payload: result }, status: status(counts.gone > 0 ? 'doneSomeGone' : 'done', counts) };
        }
        const total = result.updated.length + result.failed.length;
        // Updates the closing connection never sent are told apart from those that may have been applied.
        const notSent = result.failed.filter((f) => f.error.code === 'ERR_NOT_SENT').length;
        const others = result.failed.filter((f) => f.error.code !== 'ERR_NOT_SENT');
        const first = (others[0] ?? result.failed[0]!).error;
        const told = { failed: others.length, notSent, total, message: first.message };
        const summary =
          notSent === 0
            ? RED._(`${NAMESPACE}.errors.someFailed`, told)
            : others.length === 0
              ? RED._(`${NAMESPACE}.errors.notSent`, told)
              : RED._(`${NAMESPACE}.errors.notSentAndFailed`, told);
        return {
          set: { payload: result },
          status: notSent === 0 ? status('someFailed', told) : status('notSent', told),
          // Each failure's own status and code are in payload.failed; the summary has none of its own.
          error: new SignalWireError(summary, first.source),
        };
      },
    });
  }

  RED.nodes.registerType('signalwire-participants-update', ParticipantsUpdateNode);
};
