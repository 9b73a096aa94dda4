/**
 * Typed request errors. Code anywhere in a request's path throws one of these; the single error
 * middleware (errorMiddleware.ts) turns it into its status code and a JSON body with the reason.
 * Anything else thrown is a bug: a 500 with no details leaked.
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RequestError';
  }
}

/** The request body (or a header) is not what the protocol allows. */
export class InvalidRequestError extends RequestError {
  constructor(reason: string) {
    super(400, reason);
    this.name = 'InvalidRequestError';
  }
}

/** The caller could not prove it is the platform (signature, timestamp, nonce). */
export class UnauthenticatedError extends RequestError {
  constructor(reason: string) {
    super(401, reason);
    this.name = 'UnauthenticatedError';
  }
}

export class NotFoundError extends RequestError {
  constructor(reason: string) {
    super(404, reason);
    this.name = 'NotFoundError';
  }
}

export class PayloadTooLargeError extends RequestError {
  constructor(reason: string) {
    super(413, reason);
    this.name = 'PayloadTooLargeError';
  }
}

/** A dependency (the store) is not available right now: the platform should retry later. */
export class UnavailableError extends RequestError {
  constructor(reason: string) {
    super(503, reason);
    this.name = 'UnavailableError';
  }
}
