export { describeError, errorCode, notifyError, notifySuccess, SESSION_ERROR_CODES, showInline } from './notify';
