export { fromSchema, required, sameAs } from './form-rules';
export {
  clearUnsaved,
  hasUnsavedInput,
  markUnsaved,
  setUnsavedScope,
  unsavedDraft,
  useIsUnsaved,
  useUnsavedInput,
  useUnsavedInputs,
  type UnsavedEntry,
} from './unsaved-input';
