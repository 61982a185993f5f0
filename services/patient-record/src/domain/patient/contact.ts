import { tidy } from '../shared/text.js';
import type { Violations } from '../shared/violations.js';

/** A postal address; `country` is ISO 3166-1 alpha-2 (`US`). */
export interface PostalAddress {
  line: string[];
  city: string;
  state?: string;
  postalCode?: string;
  country: string;
}

/** How to reach a Patient. The phone is a mobile in E.164: it is where SMS go. */
export interface ContactDetails {
  phone?: string;
  email?: string;
  address?: PostalAddress;
}

// E.164: a plus, a country code not starting with 0, at most 15 digits in all. The edge normalises
// what people type (`(415) 555-0100`) before a command is built; the domain takes only the result.
const E164 = /^\+[1-9]\d{7,14}$/;
// Deliberately plain: ASCII local part without quoting, and a dotted domain with a letter TLD.
// Unicode domains arrive as punycode (xn--), as the edge converts them.
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export const isE164 = (phone: string): boolean => E164.test(phone);

export function isEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return (
    at > 0 &&
    email.length <= 254 &&
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    EMAIL_DOMAIN.test(domain)
  );
}

/** Adds every problem with contact details (checked after normalising). */
export function checkContact(violations: Violations, c: ContactDetails): void {
  if (c.phone !== undefined && !isE164(c.phone)) {
    violations.add('INVALID_PHONE', 'contact.phone', 'must be E.164, such as +14155550100');
  }
  if (c.email !== undefined && !isEmail(c.email)) {
    violations.add('INVALID_EMAIL', 'contact.email', 'must be an email address such as name@example.com');
  }
  if (c.address !== undefined) checkAddress(violations, c.address);
}

function checkAddress(violations: Violations, a: PostalAddress): void {
  const bad = (field: string, message: string) => violations.add('INVALID_ADDRESS', field, message);
  if (a.line.length === 0 || a.line.length > 3 || a.line.some((l) => l === '' || l.length > 100)) {
    bad('contact.address.line', 'needs one to three lines of at most 100 characters');
  }
  if (a.city === '' || a.city.length > 100) bad('contact.address.city', 'is required');
  if (!/^[A-Z]{2}$/.test(a.country)) bad('contact.address.country', 'must be an ISO 3166-1 alpha-2 code');
  if (a.state !== undefined && (a.state === '' || a.state.length > 50)) {
    bad('contact.address.state', 'must be at most 50 characters');
  }
  if (a.postalCode !== undefined && !/^[A-Z0-9][A-Z0-9 -]{1,9}$/i.test(a.postalCode)) {
    bad('contact.address.postalCode', 'must be a postal code');
  }
}

/** Contact details as stored: trimmed, email lower-cased (as its blind index is), country upper. */
export function normaliseContact(c: ContactDetails): ContactDetails {
  const phone = c.phone?.trim();
  const email = c.email?.trim().toLowerCase();
  return {
    ...(phone !== undefined && phone !== '' ? { phone } : {}),
    ...(email !== undefined && email !== '' ? { email } : {}),
    ...(c.address !== undefined ? { address: normaliseAddress(c.address) } : {}),
  };
}

function normaliseAddress(a: PostalAddress): PostalAddress {
  const state = a.state === undefined ? undefined : tidy(a.state);
  const postalCode = a.postalCode === undefined ? undefined : tidy(a.postalCode).toUpperCase();
  return {
    line: a.line.map(tidy).filter((l) => l !== ''),
    city: tidy(a.city),
    ...(state !== undefined && state !== '' ? { state } : {}),
    ...(postalCode !== undefined && postalCode !== '' ? { postalCode } : {}),
    country: tidy(a.country).toUpperCase(),
  };
}
