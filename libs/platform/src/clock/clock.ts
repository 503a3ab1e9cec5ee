/**
 * The one place the shell reads the time (STYLE.md "Time is an input"): the
 * executor turns `now()` into the area's business date for `decide`. Tests of
 * deadlines swap in a fixed or steppable clock through the CLOCK provider.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is told (tests, replays). */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant.getTime());
  }
  set(instant: Date): void {
    this.instant = instant;
  }
  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }
}
