/** Inline validation for @mantine/form that reuses the contract's own zod schemas, so the UI and core agree. */
import type { z } from 'zod';

export function fromSchema(schema: z.ZodType): (value: unknown) => string | null {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      return null;
    }
    const message = parsed.error.issues[0]?.message ?? 'Invalid value';
    return message.charAt(0).toUpperCase() + message.slice(1);
  };
}

export function required(label: string): (value: string) => string | null {
  return (value) => (value.trim() === '' ? `${label} is required` : null);
}

export function sameAs<V extends object>(
  field: keyof V,
  message: string,
): (value: unknown, values: V) => string | null {
  return (value, values) => (value === values[field] ? null : message);
}
