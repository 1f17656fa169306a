import { describe, expect, it } from 'vitest';
import { ServerUrlSchema } from '../ipc/sync';
import { serverAddressProblem } from './server-address';

describe('central server address', () => {
  it('says what to type instead of throwing on an address without https://', () => {
    expect(() => ServerUrlSchema.safeParse('nexis.umoja-bank.example')).not.toThrow();
    const parsed = ServerUrlSchema.safeParse('nexis.umoja-bank.example');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'Central server URL: start the address with https://, such as https://nexis.your-bank.example.',
    ]);
  });

  it('accepts https anywhere and http only to this machine, never credentials', () => {
    expect(serverAddressProblem('https://nexis.umoja-bank.example')).toBeNull();
    expect(serverAddressProblem('http://127.0.0.1:8787')).toBeNull();
    expect(serverAddressProblem('http://nexis.umoja-bank.example')).toMatch(/use https:\/\//);
    expect(serverAddressProblem('https://ada:pw@nexis.example')).toMatch(/remove the user name or password/);
    expect(serverAddressProblem('ftp://nexis.example')).toMatch(/start the address with https:\/\//);
    expect(serverAddressProblem('https://exa mple')).toMatch(/not a web address/);
    expect(serverAddressProblem('')).toMatch(/enter the address/);
  });
});
