/**
 * Plan steps in words an applicant understands: the feature in its own units (as the form shows them) and the change in
 * shillings a month with the applicant's own inflow (computed by the plan engine), or in plain counts.
 */
import type { ImprovementPlanView } from '../../../../shared/ipc/scoring';
import { formatFeatureValue } from '../../features';

type Step = ImprovementPlanView['targets'][number]['steps'][number];

const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** Shillings rounded as a person says them: to KES 10 below 10,000, to KES 100 above. */
export function formatKes(amount: number): string {
  const step = Math.abs(amount) < 10_000 ? 10 : 100;
  return `KES ${whole.format(Math.round(amount / step) * step)}`;
}

/** A value in the feature's own units, as the behavioural form shows it (shares in percent). */
export function formatStepValue(key: string, value: number): string {
  return formatFeatureValue(key, value);
}

function count(n: number, one: string, many: string): string {
  return `${whole.format(n)} ${n === 1 ? one : many}`;
}

/** What the step asks of the applicant, in shillings or counts; null when its own units say it all. */
export function stepInWords(step: Step): string | null {
  const money = step.money;
  if (money) {
    const change = formatKes(Math.abs(money.to - money.from));
    const range = `${formatKes(money.from)} → ${formatKes(money.to)} a month`;
    switch (money.measure) {
      case 'monthly-savings':
        return `Save about ${change} more a month (${range})`;
      case 'monthly-repayments':
        return `About ${change} less in monthly loan repayments (${range})`;
      case 'monthly-swing':
        return `Steadier income: months differing from the average by about ${formatKes(money.to)} instead of ${formatKes(money.from)}`;
      case 'monthly-inflow':
        return `About ${change} more received a month`;
      case 'balance':
        return `About ${change} more kept in savings on average`;
      case 'loan-amount':
        return `Ask for ${change} less (${formatKes(money.from)} → ${formatKes(money.to)})`;
    }
  }
  const delta = step.to - step.from;
  switch (step.feature) {
    case 'utilityBillsOnTime12m':
      return `Pay ${count(delta, 'more utility bill', 'more utility bills')} on time`;
    case 'rentOnTime12m':
      return `Pay rent on time in ${count(delta, 'more month', 'more months')}`;
    case 'activeLoans':
      return `Repay and close ${count(-delta, 'loan', 'loans')}`;
    case 'worstDaysPastDue12m':
      return step.to === 0
        ? 'No repayment late in the last 12 months'
        : `No repayment more than ${count(step.to, 'day', 'days')} late`;
    case 'termMonths':
      return `A repayment period ${count(-delta, 'month', 'months')} shorter`;
    default:
      return null;
  }
}
