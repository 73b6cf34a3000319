/**
 * The SPA's routes. Each surface is a dynamic import(), hence its own chunk: the attendee's phone downloads the
 * shell and the attendee surface only. scripts/check-bundle-size.ts budgets each
 * surface by its root component's file name, so keep one root component per surface folder.
 */
import { Router } from './lib/router.svelte.ts';
import type { Route } from './lib/router.svelte.ts';

export const ROUTES: readonly Route[] = [
  { name: 'home', pattern: '/', load: () => import('./surfaces/home/HomeApp.svelte') },
  { name: 'attendee', pattern: '/j/:joinCode', load: () => import('./surfaces/attendee/AttendeeApp.svelte') },
  { name: 'panel', pattern: '/panel', load: () => import('./surfaces/panel/PanelApp.svelte') },
  { name: 'panel', pattern: '/panel/:sessionId', load: () => import('./surfaces/panel/PanelApp.svelte') },
  { name: 'screen', pattern: '/screen', load: () => import('./surfaces/screen/ScreenApp.svelte') },
  { name: 'screen', pattern: '/screen/:sessionId', load: () => import('./surfaces/screen/ScreenApp.svelte') },
  {
    name: 'minutes',
    pattern: '/minutes/:sessionId',
    load: () => import('./surfaces/minutes/MinutesApp.svelte'),
  },
  { name: 'admin', pattern: '/admin', load: () => import('./surfaces/admin/AdminApp.svelte') },
  { name: 'admin', pattern: '/admin/*', load: () => import('./surfaces/admin/AdminApp.svelte') },
];

/** The app's one router: surfaces import it to navigate (`router.navigate('/panel/' + id)`). */
export const router = new Router(ROUTES);
