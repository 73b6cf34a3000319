/** Times and dates the minutes page shows, in the ward's time zone (the meeting's clock, not the laptop's). */
import { MINUTES_TIME_ZONE, vnClock, vnDateShort } from './sideList.ts';

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: MINUTES_TIME_ZONE,
});

/** `at` (ms) → { time: "10:42", date: "30/06/2025" }. */
export function approvalWhen(at: number): { time: string; date: string } {
  return { time: vnClock(at), date: dayFormat.format(at) };
}

/** "09:15–09:18" */
export const clockRange = (from: number, to: number): string => `${vnClock(from)}–${vnClock(to)}`;

export { vnClock, vnDateShort };
