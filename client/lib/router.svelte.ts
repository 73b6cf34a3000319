/**
 * A tiny history-API router: a table of path patterns (`/j/:joinCode`, `/admin/*`) → lazily imported surfaces.
 * No library: the SPA has a handful of routes, and each surface is a dynamic import() so it is its own chunk.
 *
 * Surfaces receive `{ params, query }` (see SurfaceProps) and navigate with `router.navigate('/panel/abc')`.
 * Plain `<a href="/panel">` links work too: the router intercepts same-origin clicks (not with a modifier key,
 * not `target`, not `download`, not `data-reload`).
 */
import type { Component } from 'svelte';

export interface SurfaceProps {
  /** `:name` segments of the pattern; `*` holds the rest of the path after a trailing `/*`. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route {
  /** Stable name, used for the bundle-size budgets and the page title. */
  name: string;
  pattern: string;
  load: () => Promise<{ default: Component<SurfaceProps> }>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches `pattern` against `path`; `:x` takes one segment, a trailing `/*` takes the rest (possibly empty). */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const split = (s: string) => s.split('/').filter((x) => x !== '');
  const want = split(pattern);
  const have = split(path);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    if (w === '*' && i === want.length - 1) {
      params['*'] = have.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const h = have[i];
    if (h === undefined) return null;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null; // malformed %-escape
      }
    } else if (w !== h) return null;
  }
  return have.length === want.length ? params : null;
}

export function matchRoute(routes: readonly Route[], path: string): RouteMatch | null {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

export class Router {
  #routes: readonly Route[] = [];
  #url = $state.raw(new URL(globalThis.location?.href ?? 'http://localhost/'));
  #match = $derived(matchRoute(this.#routes, this.#url.pathname));
  #query = $derived(new URLSearchParams(this.#url.search));

  constructor(routes: readonly Route[]) {
    this.#routes = routes;
  }

  get path(): string {
    return this.#url.pathname;
  }
  get query(): URLSearchParams {
    return this.#query;
  }
  get match(): RouteMatch | null {
    return this.#match;
  }

  /** Goes to a same-origin path (with query/hash); `replace` does not add a history entry. */
  navigate(to: string, options: { replace?: boolean } = {}): void {
    const url = new URL(to, location.href);
    if (url.origin !== location.origin) {
      location.assign(url);
      return;
    }
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.#url = url;
    if (!url.hash) window.scrollTo(0, 0);
  }

  /** Listens to back/forward and to link clicks; returns the function that stops listening. */
  start(): () => void {
    const onPop = () => (this.#url = new URL(location.href));
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const a = (event.target as Element | null)?.closest?.('a');
      if (!a || !a.href || a.target || a.hasAttribute('download') || a.hasAttribute('data-reload')) return;
      const url = new URL(a.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search + url.hash);
    };
    addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => {
      removeEventListener('popstate', onPop);
      document.removeEventListener('click', onClick);
    };
  }
}
