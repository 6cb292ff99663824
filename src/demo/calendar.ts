/** Calendar arithmetic on ISO date strings, in UTC so that no machine time zone leaks in. */

const pad2 = (n: number): string => String(n).padStart(2, "0");

export const isoDate = (year: number, month: number, day: number): string => `${year}-${pad2(month)}-${pad2(day)}`;

/** Shelter-local date-time without a zone: `2023-04-01T09:30:00`. */
export const atTime = (date: string, hour: number, minute: number): string =>
  `${date}T${pad2(hour)}:${pad2(minute)}:00`;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function addDays(dateIso: string, days: number): string {
  const d = new Date(`${dateIso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The twelve (year, month) pairs of a fiscal year, in order. */
export function fiscalMonths(fiscalYear: number, startMonth: number): { year: number; month: number }[] {
  return Array.from({ length: 12 }, (_, i) => {
    const m = startMonth - 1 + i;
    return { year: fiscalYear + Math.floor(m / 12), month: (m % 12) + 1 };
  });
}
