import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { SignalWireError } from '../lib/index';
import type { FieldDefinition } from './field-definitions';

/**
 * Reading a node's typedInput fields for one message, shared by every SignalWire node. A field is a value and
 * a type (`msg`, `str`, `bool`, `flow`, `jsonata`, ... or one of ours: `unchanged` and the fixed choices).
 */

/** Types of our own in the editor: "leave unchanged" and fixed choices (GET/POST, a conference status, a beep...). */
export const UNCHANGED = 'unchanged';
/** "SignalWire's default" (the join options): like unchanged, nothing is sent. */
const NOT_SET = new Set([UNCHANGED, 'default']);
const FIXED_CHOICES = new Set(['method', 'conferenceStatus', 'beep', 'answerAction']);
/** Types whose value Node-RED may have to look up asynchronously (context stores, JSONata). */
const ASYNC_TYPES = new Set(['flow', 'global', 'jsonata']);

const DOTTED_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

export interface Field {
  name: string;
  /** The field's label in the user's language, for error messages. */
  label: string;
  value: string;
  type: string;
  /** A plain dotted msg property (payload.muted), split once rather than parsed for every message. */
  path?: string[];
  /** Where the field reads by default, e.g. `payload.muted`: the example an error about it gives. */
  defaultPath: string;
}

/** What a node's saved form holds: for each field `name`, its value `name` and its type `nameType`. */
export type FieldDef = Record<string, unknown>;

export interface FieldReader {
  /** The field as the node's form configured it; a flow written by hand may leave it out: `msg.<defaultPath>`. */
  field(definition: FieldDefinition): Field;
  /**
   * Reads the fields for one message, in order; undefined means "not set". Synchronous when no field needs an
   * asynchronous lookup. Rejects (or throws) a validation SignalWireError naming the first field that could not
   * be read, and never leaves a lookup it started with a rejection nobody handles.
   */
  read(fields: readonly Field[], msg: NodeMessage): unknown[] | Promise<unknown[]>;
  /** Where a field is read from, in the words a flow author uses: msg.callSid, flow.sid, env CALL_SID... */
  where(f: Field): string;
  /** Throws the "X is missing: msg.x is not set" validation error when a required field's value is not set. */
  require(f: Field, value: unknown): void;
}

/**
 * @param namespace the node's message catalog prefix, e.g. `signalwire-participant-update`: labels come from
 *   `<namespace>.label.<name>`, and the catalog needs `<namespace>.errors.unreadable`, `.errors.formField`,
 *   `.errors.emptyField`, `.errors.envNotSet` and `.errors.missing`.
 */
export function fieldReader(RED: NodeAPI, node: Node, def: FieldDef, namespace: string): FieldReader {
  const errors = `${namespace}.errors.`;

  const field = ({ name, defaultPath }: FieldDefinition): Field => {
    const saved = def[name];
    const savedType = def[`${name}Type`];
    // A flow written by hand may hold a boolean or number where the editor saves a string.
    const value = saved === undefined || saved === null ? defaultPath : String(saved);
    const type = typeof savedType === 'string' && savedType ? savedType : 'msg';
    const f: Field = { name, label: RED._(`${namespace}.label.${name}`), value, type, defaultPath };
    if (type === 'msg' && DOTTED_PATH.test(value)) f.path = value.replace(/^msg\./, '').split('.');
    return f;
  };

  /** A property under a missing parent (payload.muted when there is no payload) is simply not set. */
  const readMessageProperty = (msg: NodeMessage, f: Field): unknown => {
    if (f.path) {
      let value: unknown = msg;
      for (const part of f.path) {
        if (value === undefined || value === null) return undefined;
        value = (value as Record<string, unknown>)[part];
      }
      return value;
    }
    try {
      return RED.util.getMessageProperty(msg, f.value);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'INVALID_EXPR') throw err;
      return undefined;
    }
  };

  const readOne = (f: Field, msg: NodeMessage): unknown => {
    if (NOT_SET.has(f.type)) return undefined;
    if (FIXED_CHOICES.has(f.type)) return f.value;
    if (f.type === 'msg') {
      if (f.value.trim() === '') {
        throw new SignalWireError(
          RED._(`${errors}emptyField`, { field: f.label, example: f.defaultPath }),
          'validation',
        );
      }
      return readMessageProperty(msg, f);
    }
    if (f.type === 'env') {
      // Node-RED reads a variable that is not set as "": a setting that is missing, not a value to send.
      const value: unknown = RED.util.evaluateNodeProperty(f.value, f.type, node, msg);
      if (value === '') throw unreadable(f, RED._(`${errors}envNotSet`));
      return value;
    }
    if (!ASYNC_TYPES.has(f.type)) return RED.util.evaluateNodeProperty(f.value, f.type, node, msg);
    return new Promise((resolve, reject) => {
      RED.util.evaluateNodeProperty(f.value, f.type, node, msg, (err, value) => (err ? reject(err) : resolve(value)));
    });
  };

  const where = (f: Field): string => {
    switch (f.type) {
      case 'msg':
      case 'flow':
      case 'global':
        return `${f.type}.${f.value}`;
      case 'env':
        return `env ${f.value}`;
      case 'jsonata':
        return `JSONata ${f.value}`;
      default:
        return RED._(`${errors}formField`, { field: f.label });
    }
  };

  const unreadable = (f: Field, err: unknown): SignalWireError =>
    new SignalWireError(
      RED._(`${errors}unreadable`, {
        field: f.label,
        where: where(f),
        message: typeof err === 'string' ? err : String((err as Error)?.message ?? err),
      }),
      'validation',
    );

  const read = (fields: readonly Field[], msg: NodeMessage): unknown[] | Promise<unknown[]> => {
    const values: unknown[] = [];
    const started: Promise<unknown>[] = [];
    for (const f of fields) {
      let value: unknown;
      try {
        value = readOne(f, msg);
      } catch (err) {
        // A lookup started for an earlier field may still reject: it has nobody to answer now, and an unhandled
        // rejection would end the Node-RED process.
        for (const promise of started) promise.catch(() => undefined);
        throw err instanceof SignalWireError ? err : unreadable(f, err);
      }
      if (value instanceof Promise) {
        const named = value.catch((err: unknown) => Promise.reject(unreadable(f, err)));
        started.push(named);
        values.push(named);
      } else {
        values.push(value);
      }
    }
    // Promise.all handles every rejection, the second and later ones included.
    return started.length > 0 ? Promise.all(values) : values;
  };

  const require = (f: Field, value: unknown): void => {
    if (value === undefined || value === null || value === '') {
      throw new SignalWireError(RED._(`${errors}missing`, { field: f.label, where: where(f) }), 'validation');
    }
  };

  return { field, read, where, require };
}

/** The values read for `fields`, in their order, under each field's name; a field not set is left out. */
export function setValues(fields: readonly Field[], values: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    if (values[i] !== undefined) named[f.name] = values[i];
  });
  return named;
}
