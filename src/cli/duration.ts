import { InvalidArgumentError } from 'commander';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A bare number below this is far more likely meant as seconds than as milliseconds. */
const SMALLEST_BARE_MS = 100;

/**
 * Reads a duration for an option: "5s", "500ms", "2m", "1.5s", or a bare number of milliseconds (as
 * documented before units existed). A bare number under 100 is refused, with the reading it probably meant.
 */
export function parseDuration(name: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(value.trim());
    if (!m) throw new InvalidArgumentError(`${name} "${value}" is not a duration: write 5s, 500ms or 2m.`);
    const amount = Number(m[1]);
    const unit = m[2]?.toLowerCase();
    if (unit === undefined && amount < SMALLEST_BARE_MS) {
      throw new InvalidArgumentError(`${name} ${value} would be ${value} milliseconds; did you mean ${value}s? (write the unit: 5s, 500ms, 2m)`);
    }
    const ms = Math.round(amount * UNITS[unit ?? 'ms']!);
    if (ms < 1) throw new InvalidArgumentError(`${name} "${value}" is shorter than a millisecond.`);
    return ms;
  };
}
