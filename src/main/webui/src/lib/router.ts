/**
 * A small history router. Paths are app paths ("/images"); the page's <base href> (e.g. "/" or
 * "/berth/" behind a proxy) is added and removed here, so features never see it.
 */
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

function basePath(): string {
  const path = new URL(document.baseURI).pathname;
  return path.endsWith('/') ? path : path + '/';
}

/** The current app path, always starting with "/", without the base path. */
export function currentPath(): string {
  const base = basePath();
  const path = window.location.pathname;
  const rest = path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '');
  return '/' + rest;
}

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** The browser URL for an app path, for href attributes. */
export function href(appPath: string): string {
  return basePath() + appPath.replace(/^\//, '');
}

export function navigate(appPath: string, options: { replace?: boolean } = {}): void {
  const url = href(appPath);
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

function notify(): void {
  listeners.forEach((listener) => listener());
}

window.addEventListener('popstate', notify);

/** Re-renders the caller whenever the location changes; returns the app path. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const listener = () => setPath(currentPath());
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return path;
}

/**
 * Intercepts clicks on same-origin links inside the app so they navigate without a page load.
 * Links opt out with target, download, rel="external" or a modifier key.
 */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.getAttribute('href')?.startsWith('#') || anchor.target || anchor.hasAttribute('download') || anchor.rel === 'external') return;
    const url = new URL(anchor.href, document.baseURI);
    if (url.origin !== window.location.origin || !url.pathname.startsWith(basePath().replace(/\/$/, ''))) return;
    const base = basePath();
    const appPath = '/' + (url.pathname.startsWith(base) ? url.pathname.slice(base.length) : '');
    if (/^\/(api|q|ws|ports)(\/|$)/.test(appPath)) return; // server endpoints, not app screens
    event.preventDefault();
    navigate(appPath + url.search + url.hash);
  });
}

/** Matches "/admin/users" against patterns like "/admin/users" or "/images/:id". */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const part = patternParts[i];
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(pathParts[i]);
    else if (part !== pathParts[i]) return null;
  }
  return params;
}
