/**
 * The SPA's routes. Each surface is a dynamic import(), hence its own chunk: the attendee's phone downloads the
 * shell and the attendee surface only. scripts/check-bundle-size.ts budgets routes by the `file` below.
 */
import type { Route } from './lib/router.svelte.ts';

export const ROUTES: readonly Route[] = [
  { name: 'home', pattern: '/', load: () => import('./surfaces/home/HomeApp.svelte') },
  { name: 'attendee', pattern: '/j/:joinCode', load: () => import('./surfaces/attendee/AttendeeApp.svelte') },
  { name: 'panel', pattern: '/panel', load: () => import('./surfaces/panel/PanelApp.svelte') },
  { name: 'panel', pattern: '/panel/:sessionId', load: () => import('./surfaces/panel/PanelApp.svelte') },
  { name: 'screen', pattern: '/screen/:sessionId', load: () => import('./surfaces/screen/ScreenApp.svelte') },
  { name: 'minutes', pattern: '/minutes/:sessionId', load: () => import('./surfaces/minutes/MinutesApp.svelte') },
  { name: 'admin', pattern: '/admin', load: () => import('./surfaces/admin/AdminApp.svelte') },
  { name: 'admin', pattern: '/admin/*', load: () => import('./surfaces/admin/AdminApp.svelte') },
];

/** Source file of each surface's root component, as named in dist/client/.vite/manifest.json. */
export const SURFACE_FILES = {
  home: 'surfaces/home/HomeApp.svelte',
  attendee: 'surfaces/attendee/AttendeeApp.svelte',
  panel: 'surfaces/panel/PanelApp.svelte',
  screen: 'surfaces/screen/ScreenApp.svelte',
  minutes: 'surfaces/minutes/MinutesApp.svelte',
  admin: 'surfaces/admin/AdminApp.svelte',
} as const;
