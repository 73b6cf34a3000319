/**
 * The speaker's countdown, computed the same way on every surface (panel, screen, phone) so they agree to the
 * second: remaining = startedAt + duration − the server's clock now (`connection.serverNow()`, corrected for this
 * device's clock offset). The displayed second changes on whole seconds of server time everywhere.
 */
import type { Floor } from '../../shared/domain/types.ts';

/** When the countdown turns amber. */
export const WARNING_MS = 30_000;

export type CountdownPhase = 'running' | 'warning' | 'overtime';

export const remainingMs = (floor: Pick<Floor, 'startedAt' | 'durationSec'>, serverNow: number): number =>
  floor.startedAt + floor.durationSec * 1000 - serverNow;

export const phaseOf = (remaining: number): CountdownPhase =>
  remaining <= 0 ? 'overtime' : remaining <= WARNING_MS ? 'warning' : 'running';

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (totalSec: number): string => {
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
};

/**
 * "2:59" while time remains (rounded up: it reads 0:01 until the last second is over), "+0:12" in overtime
 * (rounded down: it reads +0:00 for the first second over). Either way the digit changes on whole seconds.
 */
export function formatCountdown(remaining: number): string {
  if (remaining > 0) return clock(Math.ceil(remaining / 1000));
  return `+${clock(Math.floor(-remaining / 1000))}`;
}

/** Whole seconds shown, signed (overtime negative): what tests compare across surfaces. */
export function shownSeconds(remaining: number): number {
  return remaining > 0 ? Math.ceil(remaining / 1000) : -Math.floor(-remaining / 1000);
}
