// Dubbo's response status byte (org.apache.dubbo.remoting.exchange.Response) and its mapping to and
// from HTTP-style statuses, the proxy's common language for retries, stats and local replies.

export const OK = 20;
export const CLIENT_TIMEOUT = 30;
export const SERVER_TIMEOUT = 31;
export const BAD_REQUEST = 40;
export const BAD_RESPONSE = 50;
export const SERVICE_NOT_FOUND = 60;
export const SERVICE_ERROR = 70;
export const SERVER_ERROR = 80;
export const CLIENT_ERROR = 90;
export const SERVER_THREADPOOL_EXHAUSTED_ERROR = 100;

/**
 * A response's `:status`. MOSN v0.26.0 maps no Dubbo status to HTTP (its HTTPMapping returns
 * nil, so every Dubbo response counts as a success there); this follows the shape of its Bolt mapping
 * (success 200, thread pool busy 503, timeout 504, else 500) and inverts its Dubbo Hijack table
 * where that is unambiguous: SERVICE_NOT_FOUND is what the proxy sends for 404.
 */
export function httpStatusOf(status: number): number {
  switch (status) {
    case OK:
      return 200;
    case CLIENT_TIMEOUT:
    case SERVER_TIMEOUT:
      return 504;
    case SERVICE_NOT_FOUND:
      return 404;
    case SERVER_THREADPOOL_EXHAUSTED_ERROR:
      return 503;
    default:
      return 500;
  }
}

/**
 * The status of a response the proxy makes itself for HTTP-style `status`, as MOSN v0.26.0's
 * dubboMosnStatusMap (pkg/protocol/xprotocol/dubbo/types.go) maps its codes: 403 permission
 * denied → SERVER_ERROR; 404 router unavailable and 502 no healthy upstream → SERVICE_NOT_FOUND;
 * 503 upstream overflow and 509 limit exceeded → BAD_REQUEST; 504 timeout → CLIENT_TIMEOUT;
 * anything else (500, codec and unknown errors) → SERVICE_ERROR. MOSN also maps 200 to OK, but an
 * OK response's body must be a result, not a message; an error response is never OK here.
 */
export function dubboStatusOf(status: number): number {
  switch (status) {
    case 403:
      return SERVER_ERROR;
    case 404:
    case 502:
      return SERVICE_NOT_FOUND;
    case 503:
    case 509:
      return BAD_REQUEST;
    case 504:
      return CLIENT_TIMEOUT;
    default:
      return SERVICE_ERROR;
  }
}
