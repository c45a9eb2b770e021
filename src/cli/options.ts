import { InvalidArgumentError } from 'commander';

/** commander parser for a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** commander parser for an integer option (may be negative or zero). */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** commander parser for a number option. */
export function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') throw new InvalidArgumentError('must be a number');
  return n;
}

/** commander parser for an ISO date option. */
export function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value + 'T00:00:00Z'))) {
    throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  }
  return value;
}
