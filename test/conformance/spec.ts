/**
 * SignalWire's published description of the Compatibility API (the schemas of `signalwire/docs`,
 * fern/apis/compatibility/openapi.yaml, at the commit named in the JSON file beside this one), as a checker:
 * which operation a request is, which answers that operation documents, and whether a body fits its schema.
 * Objects are closed as the spec writes them (`unevaluatedProperties: {not: {}}`): no field missing, none added.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Kept byte for byte as published beside the reference, so a later spec can be dropped in and compared. */
const spec = JSON.parse(readFileSync(path.join(__dirname, 'signalwire-compat-openapi-schemas.json'), 'utf8'));

interface Response {
  contentTypes: string[];
  schema: string | null;
}
interface Operation {
  method: string;
  path: string;
  responses: Record<string, Response>;
}

export const OPERATIONS = spec.operations as Record<string, Operation>;
export const SPEC_COMMIT: string = spec.source.commit;

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
// OpenAPI's integer format: ajv knows no "int32" of its own.
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
});
/**
 * Schemas an operation names that the file does not carry, written out from the same commit's
 * components/schemas (structural facts only): "Create a Call" answers its 400s with an errors array.
 */
const ERROR_ARRAY_ITEM = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, more_info: { type: 'string' } },
  unevaluatedProperties: { not: {} },
};
const MISSING_SCHEMAS: Record<string, object> = {
  CompatibilityErrorArrayResponse: {
    $id: 'CompatibilityErrorArrayResponse',
    type: 'object',
    properties: { errors: { type: 'array', items: ERROR_ARRAY_ITEM } },
    unevaluatedProperties: { not: {} },
  },
};

const validators = new Map<string, ValidateFunction>();
for (const [name, schema] of Object.entries({ ...MISSING_SCHEMAS, ...(spec as Record<string, unknown>) })) {
  if (typeof schema === 'object' && schema !== null && '$id' in schema)
    validators.set(name, ajv.compile(schema as object));
}

/** The problems of `body` against the named schema; empty when it fits. */
export function schemaProblems(name: string, body: unknown): string[] {
  const validate = validators.get(name);
  if (!validate) throw new Error(`The spec has no schema ${name}`);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
}

const matchers = Object.entries(OPERATIONS).map(([name, op]) => ({
  name,
  method: op.method,
  pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/**
 * The operation a request is, by method and path: the path under either of the base forms the emulator serves
 * (the spec's server URL `/api/laml/2010-04-01`, or `/2010-04-01` as the official SDK calls it), with or
 * without `.json`. Undefined for a path or method the spec does not describe.
 */
export function operationFor(method: string, url: string): string | undefined {
  let path = new URL(url, 'http://localhost').pathname;
  path = path.replace(/^\/api\/laml\/2010-04-01(?=\/)/, '').replace(/^\/2010-04-01(?=\/)/, '');
  path = path.replace(/\.json$/, '');
  return matchers.find((m) => m.method === method && m.pattern.test(path))?.name;
}
