import { describe, expect, it } from 'vitest';
import { plainInvalidInput } from './notify';

describe('plainInvalidInput', () => {
  it('drops the developer prefix and keeps messages that already name their field', () => {
    expect(
      plainInvalidInput(
        'Invalid input — csv: Statement file: the file is empty. Export the statement again and choose the CSV file.',
      ),
    ).toBe('Statement file: the file is empty. Export the statement again and choose the CSV file.');
  });

  it('names a bare message by the form label of its field', () => {
    expect(plainInvalidInput('Invalid input — idleTimeoutMinutes: too big')).toBe('Lock after (minutes): too big');
    expect(plainInvalidInput('Invalid input — personal.dateOfBirth: must be a date')).toBe(
      'Date of birth: must be a date',
    );
  });

  it('leaves other messages as they are', () => {
    expect(plainInvalidInput('The central server cannot be reached.')).toBe('The central server cannot be reached.');
  });
});
