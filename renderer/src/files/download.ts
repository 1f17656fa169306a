/** Hands a file the renderer produced to the officer as a download (a Blob URL on a temporary link). */

/** Characters no Windows, macOS or Linux file name may hold (applicant ids can end in `*`). */
const UNSAFE_IN_FILE_NAMES = /[\\/:*?"<>|]/g;

export function safeFileName(fileName: string): string {
  return fileName.replace(UNSAFE_IN_FILE_NAMES, '_');
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = safeFileName(fileName);
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadText(fileName: string, text: string, type = 'text/plain;charset=utf-8'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function downloadBase64(fileName: string, base64: string, type: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  downloadBlob(fileName, new Blob([bytes], { type }));
}
