import {
  STATUS_CODEC_EXCEPTION,
  STATUS_CONNECTION_CLOSED,
  STATUS_NO_PROCESSOR,
  STATUS_SERVER_EXCEPTION,
  STATUS_SERVER_THREADPOOL_BUSY,
  STATUS_SUCCESS,
  STATUS_TIMEOUT,
  STATUS_UNKNOWN,
} from "./constants.ts";

/**
 * The Bolt status for a reply the proxy makes itself, from the HTTP-style status the proxy
 * uses (MOSN's bolt Mapping): no route or a failed upstream is "no processor", overflow is
 * "thread pool busy", a timeout is a timeout, and a frame we could not decode a codec error.
 */
export function boltStatusFor(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
      return STATUS_CODEC_EXCEPTION;
    case 403:
      return STATUS_SERVER_EXCEPTION;
    case 404:
    case 502:
      return STATUS_NO_PROCESSOR;
    case 503:
      return STATUS_SERVER_THREADPOOL_BUSY;
    case 504:
      return STATUS_TIMEOUT;
    default:
      return STATUS_UNKNOWN;
  }
}

/** A Bolt response status as HTTP, for retries and stats (MOSN's BoltStatusMapping). */
export function httpStatusOf(boltStatus: number): number {
  switch (boltStatus) {
    case STATUS_SUCCESS:
      return 200;
    case STATUS_SERVER_THREADPOOL_BUSY:
      return 503;
    case STATUS_TIMEOUT:
      return 504;
    case STATUS_CONNECTION_CLOSED:
      return 502;
    default:
      return 500;
  }
}
