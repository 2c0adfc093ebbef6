// The REST API as the pages use it: cookie mode (HttpOnly JWT cookies), Django's CSRF token on
// every unsafe method, one refresh of the cookies when the access token has expired.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }

  get code() {
    return (this.problem.type || "").replace("urn:heartmon:problem:", "");
  }
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

const signedIn = () => document.body.dataset.can !== undefined;
let refreshing = null;

// Renews the cookies from the refresh cookie; true when the session goes on. Concurrent callers
// share one request (a refresh token is good for one use).
export function refreshSession() {
  refreshing ??= fetch("/api/v1/auth/cookie/refresh/", {
    method: "POST",
    headers: { "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
  })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export function signInAgain() {
  const next = location.pathname + location.search;
  location.assign(`/signin?next=${encodeURIComponent(next)}`);
}

export function apiUrl(path, query = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  return url;
}

function request(method, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (body === undefined || body instanceof FormData) return { method, headers, body };
  headers["Content-Type"] = "application/json";
  return { method, headers, body: JSON.stringify(body) };
}

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { status: response.status };
  }
}

// api("/api/v1/patients/", {query: {limit: 10}}) -> the decoded JSON (null for 204);
// {raw: true} returns the Response. Errors throw ApiError with the problem details.
export async function api(path, { method = "GET", body, query, raw = false } = {}) {
  const url = apiUrl(path, query);
  let response = await fetch(url, { ...request(method, body), credentials: "same-origin" });
  if (response.status === 401 && signedIn()) {
    if (!(await refreshSession())) {
      signInAgain();
      throw new ApiError(401, await problemOf(response));
    }
    response = await fetch(url, { ...request(method, body), credentials: "same-origin" });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

// Every item of a limit/offset or cursor list, following `next` up to `most` items.
export async function listAll(path, query = {}, most = 1000) {
  let page = await api(path, { query: { limit: 100, ...query } });
  const items = [...page.results];
  while (page.next && items.length < most) {
    page = await api(page.next);
    items.push(...page.results);
  }
  return items;
}
