/**
 * Errors the emulated API answers with, always as a `CompatibilityErrorResponse` body.
 *
 * Status codes, chosen once and used throughout:
 * - 400 a malformed value (a SID that is not a UUID, a method other than GET/POST, a boolean other than
 *   true/false, a URL that is not an absolute http(s) URI, a list filter or page parameter of the wrong form, a
 *   body that is not form-urlencoded) or a form field the request does not define; "Create a Call" answers its
 *   400s in the spec's other shape, `{"errors": [{code, message, more_info}]}`, with the calls codes (21211…);
 * - 401 missing or wrong credentials, or an AccountSid in the path that is not the authenticated project;
 * - 404 an unknown path, conference or participant;
 * - 405 a method the resource does not support;
 * - 413 a body over 64 KB;
 * - 422 a well-formed request that cannot apply: Coaching=true without CallSidToCoach, a CallSidToCoach that is
 *   not in the same conference, and any change to a completed conference or its participants (code 10000); a
 *   call from a number the project does not own (21210) or with an ApplicationSid (21218: the emulator has no
 *   applications); any change to a call that has ended, canceling an answered call (10000), redirecting one not
 *   answered (21220);
 * - 500 an unexpected failure inside the emulator (a bug).
 */
export const ErrorCode = {
  cannotChange: 10000,
  invalidParameter: 20001,
  unprocessable: 20002,
  authenticationFailed: 20003,
  methodNotAllowed: 20004,
  notFound: 20404,
  tooManyRequests: 20429,
  internalError: 20500,
  serviceUnavailable: 20503,
  callUrlMissing: 21205,
  callTimeout: 21208,
  callMethod: 21209,
  callFromNotOwned: 21210,
  callToInvalid: 21211,
  callFromInvalid: 21212,
  callFromMissing: 21213,
  callApplicationNotFound: 21218,
  callNotInProgress: 21220,
  urlInvalid: 21402,
} as const;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Extra response headers, e.g. `Allow` on a 405. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function invalidParameter(name: string, problem: string): ApiError {
  return new ApiError(400, ErrorCode.invalidParameter, `Invalid parameter \`${name}\`: ${problem}`);
}

export function notFound(what: string): ApiError {
  return new ApiError(404, ErrorCode.notFound, `The requested resource ${what} was not found`);
}

/** Where `more_info` points: the emulator explains its own codes at this path. */
export function moreInfoPath(code: number | string): string {
  return `/__emulator/errors/${code}`;
}

export const ERROR_EXPLANATIONS: Record<string, string> = {
  [ErrorCode.cannotChange]:
    "The conference or call has ended, so it (and a conference's participants) can no longer be changed; " +
    'or the change does not apply to the call as it is (canceling a call already answered).',
  [ErrorCode.invalidParameter]:
    'A parameter has a value of the wrong form (UUID, GET/POST, true/false, http(s) URI, YYYY-MM-DD), ' +
    'or the request does not define it.',
  [ErrorCode.unprocessable]:
    'The request is well formed but cannot apply (for example Coaching without CallSidToCoach).',
  [ErrorCode.authenticationFailed]: 'Authentication failed: check the Project ID and API token (Basic auth).',
  [ErrorCode.methodNotAllowed]: 'The resource does not support this HTTP method.',
  [ErrorCode.notFound]: 'The conference, participant or path does not exist.',
  [ErrorCode.tooManyRequests]: 'Too many requests: the request was not processed and is safe to retry.',
  [ErrorCode.internalError]: 'The emulator failed to handle the request.',
  [ErrorCode.serviceUnavailable]: 'The service is unavailable: the request was not processed and is safe to retry.',
  [ErrorCode.callUrlMissing]: 'A call was created without a cXML Url (or ApplicationSid).',
  [ErrorCode.callTimeout]: 'Timeout must be a whole number of seconds from 1 to 600.',
  [ErrorCode.callMethod]: 'A method parameter was not GET or POST.',
  [ErrorCode.callFromNotOwned]: 'The From number is not a number of this project (GET /__emulator/numbers lists them).',
  [ErrorCode.callToInvalid]: 'The To number is missing, or is neither an E.164 number nor a sip: address.',
  [ErrorCode.callFromInvalid]: 'The From number is not in E.164 form (+15550100100).',
  [ErrorCode.callFromMissing]: 'A call was created without a From number.',
  [ErrorCode.callApplicationNotFound]: 'The ApplicationSid does not exist (the emulator has no applications).',
  [ErrorCode.callNotInProgress]: 'Only a call in progress (answered) can be redirected to a new Url.',
  [ErrorCode.urlInvalid]: 'A URL is not an absolute http or https URI.',
};

/** A 400 of "Create a Call": the spec's CompatibilityErrorArrayResponse, one item per problem, codes as text. */
export function errorArrayBody(error: ApiError, baseUrl: string): { errors: object[] } {
  return {
    errors: [{ code: String(error.code), message: error.message, more_info: `${baseUrl}${moreInfoPath(error.code)}` }],
  };
}
