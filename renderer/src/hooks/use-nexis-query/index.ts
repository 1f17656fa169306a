export { useNexisQuery, type NexisQuery } from './use-nexis-query';
