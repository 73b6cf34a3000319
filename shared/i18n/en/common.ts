/** English strings of ../common.ts (loaded on demand). */
import type { CommonMessages } from '../common.ts';

const en: CommonMessages = {
  appName: 'Dialogue Board',
  loading: 'Loading…',
  retry: 'Try again',
  cancel: 'Cancel',
  save: 'Save',
  close: 'Close',
  back: 'Back',
  home: 'Home',
  comingSoon: 'The “{surface}” screen is being built.',
  notFound: 'This page does not exist.',
  loadFailed: 'The page could not be loaded. Please check the connection and try again.',
  settings: 'Display settings',
  language: 'Language',
  languageName: { vi: 'Tiếng Việt', en: 'English' },
  textSize: 'Text size',
  connection: {
    connecting: 'Connecting…',
    online: 'Connected',
    offline: 'Connection lost. Trying to reconnect…',
    waiting:
      '{count, plural, =0 {Nothing is waiting to be sent.} one {# action is waiting; it will be sent when the connection returns.} other {# actions are waiting; they will be sent when the connection returns.}}',
    stale: 'Showing saved information; it may not be the latest.',
    sending: 'Sending…',
  },
  agendaKind: {
    opening: 'Opening and delegates',
    purpose: 'Chairman’s purpose',
    report: 'Report',
    speak: 'Citizens speak',
    answers: 'Answers',
    conclusion: 'Conclusion',
  },
  surface: {
    attendee: 'Attendee',
    panel: 'Chair’s panel',
    screen: 'Big screen',
    minutes: 'Minutes',
    admin: 'Administration',
  },
  login: {
    title: 'Staff sign-in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {name}',
    wrong: 'Wrong username or password.',
    throttledSeconds: 'Too many failed sign-ins. Please try again in {count} s.',
    throttledMinutes: 'Too many failed sign-ins. Please try again in {count} min.',
  },
};

export default { common: en };
