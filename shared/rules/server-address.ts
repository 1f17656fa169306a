/**
 * The central server's address as an administrator types it. Never throws (the old schema constructed a URL from
 * any text and crashed with "TypeError: Failed to construct 'URL'"): every problem is a sentence that says what to
 * type. https, or http to this machine only (development, the demo, tests): tokens and personal data never cross a
 * network in clear; no credentials in the address, because sessions and device tokens travel in headers.
 */
export const SERVER_ADDRESS_LABEL = 'Central server URL';
export const SERVER_ADDRESS_EXAMPLE = 'https://nexis.your-bank.example';
export const SERVER_ADDRESS_MAX = 200;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function serverAddressProblem(text: string): string | null {
  const label = SERVER_ADDRESS_LABEL;
  const value = text.trim();
  if (value === '') {
    return `${label}: enter the address of the central server, such as ${SERVER_ADDRESS_EXAMPLE}.`;
  }
  if (value.length > SERVER_ADDRESS_MAX) {
    return `${label}: the address is longer than ${SERVER_ADDRESS_MAX} characters; check it.`;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `${label}: start the address with https://, such as ${SERVER_ADDRESS_EXAMPLE}.`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label}: this is not a web address; type it as ${SERVER_ADDRESS_EXAMPLE}.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `${label}: start the address with https://, such as ${SERVER_ADDRESS_EXAMPLE}.`;
  }
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/]*@/i.test(value)) {
    return `${label}: remove the user name or password from the address; you sign in separately.`;
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    return `${label}: use https:// (plain http:// only to this machine, 127.0.0.1 or localhost).`;
  }
  return null;
}
