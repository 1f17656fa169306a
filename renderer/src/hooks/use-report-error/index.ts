export { useReportError } from './use-report-error';
