/**
 * SignalWire SIDs and Project IDs are UUIDs. Checking the shape before a SID goes into a URL path also
 * blocks path tricks such as `../` or `/`.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
