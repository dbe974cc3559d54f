import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import recordSchema from '../../schemas/pipeline_run.v1.schema.json' with { type: 'json' };
// here rather than in config.ts: a run without a configuration file does not parse it (7 KB)
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: Ajv2020) => void;

let ajv: Ajv2020 | undefined;
function getAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
  }
  return ajv;
}

const cache = new Map<object, ValidateFunction>();
export function compileSchema(schema: object): ValidateFunction {
  let v = cache.get(schema);
  if (!v) {
    v = getAjv().compile(schema);
    cache.set(schema, v);
  }
  return v;
}

export interface SchemaProblem {
  path: string; // JSON pointer
  message: string;
}

export function validateAgainst(schema: object, value: unknown): SchemaProblem[] {
  const v = compileSchema(schema);
  if (v(value)) return [];
  return (v.errors ?? []).map((e: ErrorObject) => ({ path: errorPath(e), message: errorMessage(e, schema) }));
}

/** The subschema an error came from (its `schemaPath` without the keyword), when it is a local pointer. */
function subschema(root: object, schemaPath: string): Record<string, unknown> | undefined {
  if (!schemaPath.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const seg of schemaPath.slice(2).split('/').slice(0, -1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function errorPath(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
  if (e.keyword === 'required') return `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
  return e.instancePath;
}

function errorMessage(e: ErrorObject, root: object): string {
  switch (e.keyword) {
    case 'pattern': {
      // a regular expression says little to a reader: say what the schema describes the value as
      const d = subschema(root, e.schemaPath)?.description;
      return typeof d === 'string' ? `not of the expected form: ${d}` : (e.message ?? e.keyword);
    }
    case 'additionalProperties':
      return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'const':
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case 'enum':
      return `must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return e.message ?? e.keyword;
  }
}

export function validateRecord(value: unknown): SchemaProblem[] {
  return validateAgainst(recordSchema, value);
}

export { recordSchema, configSchema };
