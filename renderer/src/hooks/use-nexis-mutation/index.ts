export {
  useNexisMutation,
  type MutationResult,
  type NexisMutation,
  type NexisMutationOptions,
} from './use-nexis-mutation';
