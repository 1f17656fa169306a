/** Masked forms shown by default; the clear value needs an audited reveal. */
export function maskName(fullName: string): string {
  const [first, ...rest] = fullName.trim().split(/\s+/);
  const initials = rest.map((w) => `${w.charAt(0).toUpperCase()}.`).join(' ');
  return [first, initials].filter((part) => part !== undefined && part !== '').join(' ');
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `•••• ${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}•••@${domain}`;
}

export function maskNationalId(id: string): string {
  return `•••••${id.slice(-3)}`;
}

export const MASKED = '••••••';
