/**
 * The one way the console talks to Berth's REST API.
 *
 * - URLs are relative ("api/session"), so they resolve against the page's <base href>: the console works
 *   unchanged behind a reverse proxy under a sub-path.
 * - Every state-changing request carries the session's CSRF token in X-CSRF-Token.
 * - Every failure becomes an ApiError with the server's code, message and (for validation) field.
 * - A 401 on anything but api/session itself means the session ended: the app is told so it can
 *   send the user to the login page.
 */

export type ErrorBody = { error: string; message: string; field?: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfter?: number;

  constructor(status: number, body: ErrorBody, retryAfter?: number) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error;
    this.field = body.field;
    this.retryAfter = retryAfter;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** Remembers the session's CSRF token (kept in memory only; re-read from GET api/session on load). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request gets 401 outside the session endpoints (the session expired or was revoked). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, {
      error: 'network_error',
      message: 'Berth did not answer. Check that the server is running and your network connection, then try again.',
    });
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const error = new ApiError(response.status, await errorBody(response), retryAfterSeconds(response));
  // 401 on api/session itself means "not signed in" (boot, login); anywhere else the session has ended.
  if (response.status === 401 && path !== 'api/session') onUnauthorized();
  throw error;
}

async function errorBody(response: Response): Promise<ErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed && typeof parsed.message === 'string') {
      return { error: parsed.error ?? `http_${response.status}`, message: parsed.message, field: parsed.field };
    }
  } catch {
    // not JSON: a proxy or server page; fall through to a generic message
  }
  return {
    error: `http_${response.status}`,
    message: `The server answered ${response.status} ${response.statusText || ''}`.trim() + '. Try again; if it persists, check the server log.',
  };
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds : undefined;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Turns any thrown value into a message fit for the user. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Headers for requests made outside request() (streams, uploads): the CSRF token for state changes. */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** The ApiError for a failed response obtained outside request(); a 401 ends the session as request() does. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, await errorBody(response), retryAfterSeconds(response));
}

/** The ApiError for a failed XMLHttpRequest (uploads, which need progress events fetch cannot give). */
export function apiErrorOfXhr(xhr: XMLHttpRequest): ApiError {
  if (xhr.status === 401) onUnauthorized();
  if (xhr.status === 0) {
    return new ApiError(0, { error: 'network_error', message: 'The upload was interrupted: Berth did not answer. Check the connection and try again.' });
  }
  try {
    const parsed = JSON.parse(xhr.responseText) as Partial<ErrorBody>;
    if (parsed && typeof parsed.message === 'string') {
      return new ApiError(xhr.status, { error: parsed.error ?? `http_${xhr.status}`, message: parsed.message, field: parsed.field });
    }
  } catch {
    // not JSON
  }
  const tooLarge = xhr.status === 413 ? ' The file is larger than this server accepts (quarkus.http.limits.max-body-size).' : '';
  return new ApiError(xhr.status, { error: `http_${xhr.status}`, message: `The server answered ${xhr.status} ${xhr.statusText}.${tooLarge} Try again; if it persists, check the server log.` });
}
