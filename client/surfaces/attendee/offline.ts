/**
 * Lets the attendee's page open with no network (a reload during a Wi-Fi drop, or the browser reopened in the
 * hall): a service worker (client/public/sw.js) keeps the app shell, and the Connection keeps the last state and
 * the outbox in localStorage. Only the attendee route registers it; the page tells the worker which files it
 * loaded, because the first visit happens before the worker controls the page.
 */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || !isSecureContext) return;
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const urls = [
        location.pathname,
        ...performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name))
          .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
          .map((u) => u.pathname),
      ];
      registration.active?.postMessage({ type: 'cache', urls });
    })
    .catch(() => {
      // No offline shell (private mode, http on a LAN address…): the app still works online.
    });
}
