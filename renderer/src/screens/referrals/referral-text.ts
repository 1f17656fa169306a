/** How the referral queue words amounts and waiting times. */
const UNITS = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
] as const;

/** How long a referral has waited, in its largest whole unit ("3 hours", "2 days"); "under a minute" below one. */
export function waitedFor(createdAt: string, now: number): string {
  const waited = Math.max(0, now - new Date(createdAt).getTime());
  for (const { unit, ms } of UNITS) {
    if (waited >= ms) {
      return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'long' }).format(
        Math.floor(waited / ms),
      );
    }
  }
  return 'under a minute';
}

/** "KES 50,000 over 12 months"; "—" when the scored inputs did not carry the loan (older specifications). */
export function loanText(amount: number | null, termMonths: number | null): string {
  if (amount === null) {
    return '—';
  }
  const kes = `KES ${new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(amount)}`;
  return termMonths === null ? kes : `${kes} over ${String(termMonths)} months`;
}
