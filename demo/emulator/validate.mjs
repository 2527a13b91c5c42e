import Ajv from 'ajv';
import { edgeSchemas } from './edge-schemas.mjs';
import { schemas } from './schemas.mjs';

/** RFC 3339 date-time in UTC (`Z` or `+00:00`), milliseconds optional: what edge-schemas.mjs calls `date-time`. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{3})?(Z|[+-]00:00)$/;

/** Whether `text` is a UTC date-time of a real calendar day (no 2026-02-30). */
function isDateTime(text) {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
const validators = Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)]));
const edgeValidators = Object.fromEntries(Object.entries(edgeSchemas).map(([type, schema]) => [type, ajv.compile(schema)]));

/**
 * Checks one request body against the schema of its event type. `endpoint` is `sessions` for
 * `POST /api/v1/sessions` and `events` for `POST /api/v1/sessions/{sid}/events`.
 * Returns the problems as sentences; an empty list means the request is valid.
 */
export function validate(body, endpoint) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['the body must be one JSON object'];
  const type = body.eventType;
  const check = validators[type];
  if (!check) return [`unknown eventType ${JSON.stringify(type)}`];
  if ((type === 'sessionStart') !== (endpoint === 'sessions')) {
    return [`${type} cannot be sent to the ${endpoint} endpoint`];
  }
  if (check(body)) return [];
  return check.errors.map((error) => {
    const where = error.instancePath || '(body)';
    const extra = error.params.additionalProperty ? ` (${error.params.additionalProperty})` : '';
    return `${type}: ${where} ${error.message}${extra}`;
  });
}

/** A JSON Pointer (ajv's instancePath) as the JSONPath Adobe's answers use, from `$`. */
function jsonPath(pointer, last) {
  const keys = pointer ? pointer.slice(1).split('/') : [];
  if (last !== undefined) keys.push(String(last));
  return keys
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, key) => path + (/^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `['${key}']`), '$');
}

/**
 * Checks one Media Edge API event (`{ xdm }`, the body's `events[0]`) against the schema of the
 * path's event type (a known one: see EDGE_EVENT_TYPES). Returns the problems as Adobe's error
 * reports list them: `name` is the JSONPath from the event (`$.xdm.mediaCollection.playhead`),
 * `reason` what is wrong; an empty list means the event is valid.
 *
 * @returns {Array<{ name: string, reason: string }>}
 */
export function validateEdge(event, eventType) {
  const check = edgeValidators[eventType];
  if (check(event)) return [];
  return check.errors.map(({ instancePath, keyword, params, message }) => {
    if (keyword === 'required') return { name: jsonPath(instancePath, params.missingProperty), reason: 'Missing required field' };
    if (keyword === 'additionalProperties') return { name: jsonPath(instancePath, params.additionalProperty), reason: 'Unknown field' };
    const allowed = params.allowedValues ?? (params.allowedValue === undefined ? undefined : [params.allowedValue]);
    return { name: jsonPath(instancePath), reason: allowed ? `${message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : message };
  });
}
