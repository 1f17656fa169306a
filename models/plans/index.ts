/** The improvement-plan engine: exact smallest changes to actionable features, and progress against a plan. */
export {
  buildImprovementPlan,
  HORIZON_MONTHS,
  MINIMUM_STEP_POINTS,
  type ImprovementPlan,
  type PlanModel,
  type PlanOptions,
  type PlanStep,
  type PlanTarget,
} from './plan';
export { checkProgress, type PlanProgress, type StepProgress, type TargetProgress } from './progress';
export {
  featureMoves,
  feasibleRange,
  effortOf,
  granularityOf,
  minimumStepOf,
  type FeatureMoves,
  type Move,
} from './moves';
export { stepMoney, MONTHLY_INFLOW_KEY, type MoneyMeasure, type StepMoney } from './amounts';
export { searchAdditive, searchExhaustive, preferred, type Choice, type SearchResult } from './search';
