import { tidy } from '../shared/text.js';
import { lastDayCovered } from '../shared/time.js';
import type { Violations } from '../shared/violations.js';
import { isInjectionSiteCode, type InjectionSiteCode } from './injection-sites.js';

/**
 * What kind of product: neurotoxins (prescription biologics) and dermal fillers (class III
 * devices) must be traceable to a lot for recalls and adverse-event reports, so both need a lot
 * number and an expiry; other products (topicals, anaesthetics) may carry one.
 */
export const PRODUCT_CATEGORIES = ['neurotoxin', 'filler', 'other'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];
export const LOT_TRACKED: readonly ProductCategory[] = ['neurotoxin', 'filler'];

/** Units as charted: neurotoxin in units (U), fillers in mL or whole syringes. */
export const QUANTITY_UNITS = ['U', 'mL', 'syringe', 'vial'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

export interface Product {
  name: string;
  category: ProductCategory;
  manufacturer?: string;
}

export interface Quantity {
  value: number;
  unit: QuantityUnit;
}

/** One mark on the face or body map; `amount` in the product's unit, `point` in 0..1 map coordinates. */
export interface InjectionPoint {
  site: InjectionSiteCode;
  amount?: number;
  point?: { x: number; y: number };
}

export interface ProductUseDetails {
  product: Product;
  lotNumber?: string;
  /** YYYY-MM-DD, or YYYY-MM as printed on many packages (good through the month's last day). */
  expiresOn?: string;
  quantity: Quantity;
  injections: InjectionPoint[];
}

const positive = (n: number) => Number.isFinite(n) && n > 0 && n <= 10_000;

/** Adds every problem with a product use on `treatmentDay` (the clinic's local date). */
export function checkProductUse(v: Violations, u: ProductUseDetails, treatmentDay: string): void {
  const tracked = LOT_TRACKED.includes(u.product.category);
  if (u.lotNumber === undefined || u.lotNumber.trim() === '') {
    if (tracked) v.add('LOT_NUMBER_REQUIRED', 'lotNumber', `is required for a ${u.product.category}`);
  } else if (!/^[A-Za-z0-9][A-Za-z0-9./ -]{0,39}$/.test(u.lotNumber.trim())) {
    v.add('INVALID_LOT_NUMBER', 'lotNumber', 'must be letters, digits, ".", "/", "-" (at most 40)');
  }
  if (u.expiresOn === undefined) {
    if (tracked) v.add('EXPIRY_DATE_REQUIRED', 'expiresOn', `is required for a ${u.product.category}`);
  } else {
    const lastDay = lastDayCovered(u.expiresOn);
    if (lastDay === undefined) v.add('INVALID_EXPIRY_DATE', 'expiresOn', 'must be YYYY-MM-DD or YYYY-MM');
    else if (lastDay < treatmentDay) v.add('PRODUCT_EXPIRED', 'expiresOn', 'is before the treatment day');
  }
  if (u.product.name.trim() === '' || u.product.name.length > 200) {
    v.add('INVALID_PRODUCT', 'product.name', 'is required (at most 200 characters)');
  }
  if (!PRODUCT_CATEGORIES.includes(u.product.category)) {
    v.add('INVALID_PRODUCT', 'product.category', `must be one of ${PRODUCT_CATEGORIES.join(', ')}`);
  }
  if (!positive(u.quantity.value) || !QUANTITY_UNITS.includes(u.quantity.unit)) {
    v.add('INVALID_QUANTITY', 'quantity', `must be a positive amount in ${QUANTITY_UNITS.join(', ')}`);
  }
  checkInjections(v, u);
}

function checkInjections(v: Violations, u: ProductUseDetails): void {
  u.injections.forEach((inj, i) => {
    if (!isInjectionSiteCode(inj.site))
      v.add('UNKNOWN_SITE_CODE', `injections.${i}.site`, 'is not a known site code');
    if (inj.amount !== undefined && !positive(inj.amount)) {
      v.add('INVALID_QUANTITY', `injections.${i}.amount`, 'must be positive');
    }
    const inMap = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
    if (inj.point !== undefined && !(inMap(inj.point.x) && inMap(inj.point.y))) {
      v.add('INVALID_MAP_POINT', `injections.${i}.point`, 'must have x and y between 0 and 1');
    }
  });
  const injected = u.injections.reduce((sum, inj) => sum + (inj.amount ?? 0), 0);
  // A little slack for decimal sums such as 0.1 + 0.2 mL.
  if (injected > u.quantity.value + 1e-9) {
    v.add(
      'INJECTED_MORE_THAN_USED',
      'injections',
      'the amounts at the sites add up to more than the quantity',
    );
  }
}

export function normaliseProductUse(u: ProductUseDetails): ProductUseDetails {
  const manufacturer = u.product.manufacturer === undefined ? '' : tidy(u.product.manufacturer);
  const lotNumber = u.lotNumber?.trim();
  return {
    product: {
      name: tidy(u.product.name),
      category: u.product.category,
      ...(manufacturer !== '' ? { manufacturer } : {}),
    },
    ...(lotNumber !== undefined && lotNumber !== '' ? { lotNumber } : {}),
    ...(u.expiresOn !== undefined ? { expiresOn: u.expiresOn } : {}),
    quantity: u.quantity,
    injections: u.injections,
  };
}
