/**
 * Calendar months for retention terms, shared by the workstation's and the centre's retention rule so both count a
 * term the same way.
 */

/** `iso` plus whole calendar months, in UTC; a day past the end of the target month falls on its last day. */
export function addMonthsUtc(iso: string, months: number): Date {
  const from = new Date(iso);
  const target = new Date(from.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target;
}
