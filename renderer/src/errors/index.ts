export {
  describeError,
  errorCode,
  fieldMessages,
  notifyError,
  notifySuccess,
  SESSION_ERROR_CODES,
  showInline,
} from './notify';
