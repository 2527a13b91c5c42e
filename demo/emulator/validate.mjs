import Ajv from 'ajv';
import { schemas } from './schemas.mjs';

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)]));

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
