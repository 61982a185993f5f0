import { errors } from '@medspa/errors';

/** An amount in the currency's minor unit (cents), so no arithmetic ever rounds. */
export interface Money {
  amountMinor: number;
  /** ISO 4217 code, e.g. USD. */
  currency: string;
}

/** A non-negative Money with an ISO 4217 currency, or INVALID_MONEY. */
export function requireMoney(value: unknown, field: string): Money {
  if (typeof value === 'object' && value !== null) {
    const { amountMinor, currency } = value as Record<string, unknown>;
    if (
      typeof amountMinor === 'number' &&
      Number.isSafeInteger(amountMinor) &&
      amountMinor >= 0 &&
      typeof currency === 'string' &&
      /^[A-Z]{3}$/.test(currency)
    ) {
      return { amountMinor, currency };
    }
  }
  throw errors.validation('INVALID_MONEY', `${field} must be whole minor units and an ISO 4217 currency`, {
    violations: [{ field, message: 'expected { amountMinor: non-negative integer, currency: "USD" }' }],
  });
}
