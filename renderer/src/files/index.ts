export { downloadBase64, downloadBlob, downloadText, safeFileName } from './download';
