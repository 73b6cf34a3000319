/**
 * A date the way the server counts days: the ward's (Asia/Ho_Chi_Minh unless TIME_ZONE says otherwise), `offset`
 * days from now, YYYY-MM-DD. Not the UTC date: from 17:00 to 24:00 UTC the ward is already in the next day, and a
 * session created "today" by the UTC date is refused as in the past (`a new session cannot be in the past`).
 */
import { wardToday } from '../../server/reports/wardClock.ts';

export const wardDay = (offset = 0): string => wardToday(Date.now() + offset * 86_400_000);
