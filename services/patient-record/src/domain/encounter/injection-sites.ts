/**
 * Injection sites: a small code system of our own for the face and body maps on the charting
 * tablet. Codes are stable identifiers (never renamed or reused; retire by adding, not editing);
 * displays may be reworded. Bilateral areas have one code per side because dosing is charted per
 * side and asymmetry is a common reason for a touch-up. Region says which map shows the site.
 * Exported to FHIR as CodeSystem `injection-site` (see src/fhir/systems.ts).
 */
export const INJECTION_SITE_REGIONS = ['upper_face', 'mid_face', 'lower_face', 'neck', 'body'] as const;
export type InjectionSiteRegion = (typeof INJECTION_SITE_REGIONS)[number];

export interface InjectionSite {
  code: string;
  display: string;
  region: InjectionSiteRegion;
}

export const INJECTION_SITES = [
  { code: 'forehead', display: 'Forehead (frontalis)', region: 'upper_face' },
  { code: 'glabella', display: 'Glabella (corrugator and procerus)', region: 'upper_face' },
  { code: 'crow_feet_left', display: "Crow's feet (lateral orbicularis oculi), left", region: 'upper_face' },
  {
    code: 'crow_feet_right',
    display: "Crow's feet (lateral orbicularis oculi), right",
    region: 'upper_face',
  },
  { code: 'brow_left', display: 'Brow tail, left', region: 'upper_face' },
  { code: 'brow_right', display: 'Brow tail, right', region: 'upper_face' },
  { code: 'temple_left', display: 'Temple, left', region: 'upper_face' },
  { code: 'temple_right', display: 'Temple, right', region: 'upper_face' },
  { code: 'bunny_lines', display: 'Bunny lines (nasalis)', region: 'mid_face' },
  { code: 'nose', display: 'Nose (dorsum and tip)', region: 'mid_face' },
  { code: 'tear_trough_left', display: 'Tear trough, left', region: 'mid_face' },
  { code: 'tear_trough_right', display: 'Tear trough, right', region: 'mid_face' },
  { code: 'cheek_left', display: 'Cheek (zygomatic and midface), left', region: 'mid_face' },
  { code: 'cheek_right', display: 'Cheek (zygomatic and midface), right', region: 'mid_face' },
  { code: 'nasolabial_fold_left', display: 'Nasolabial fold, left', region: 'mid_face' },
  { code: 'nasolabial_fold_right', display: 'Nasolabial fold, right', region: 'mid_face' },
  { code: 'gummy_smile', display: 'Gummy smile (levator labii superioris alaeque nasi)', region: 'mid_face' },
  { code: 'lip_upper', display: 'Upper lip', region: 'lower_face' },
  { code: 'lip_lower', display: 'Lower lip', region: 'lower_face' },
  { code: 'perioral_lines', display: 'Perioral lines (orbicularis oris)', region: 'lower_face' },
  { code: 'mouth_corner_left', display: 'Mouth corner (depressor anguli oris), left', region: 'lower_face' },
  {
    code: 'mouth_corner_right',
    display: 'Mouth corner (depressor anguli oris), right',
    region: 'lower_face',
  },
  { code: 'marionette_left', display: 'Marionette line, left', region: 'lower_face' },
  { code: 'marionette_right', display: 'Marionette line, right', region: 'lower_face' },
  { code: 'chin', display: 'Chin (mentalis)', region: 'lower_face' },
  { code: 'jawline_left', display: 'Jawline, left', region: 'lower_face' },
  { code: 'jawline_right', display: 'Jawline, right', region: 'lower_face' },
  { code: 'masseter_left', display: 'Masseter, left', region: 'lower_face' },
  { code: 'masseter_right', display: 'Masseter, right', region: 'lower_face' },
  { code: 'submental', display: 'Submental area', region: 'neck' },
  { code: 'platysmal_bands', display: 'Platysmal bands', region: 'neck' },
  { code: 'neck_lines', display: 'Horizontal neck lines', region: 'neck' },
  { code: 'decolletage', display: 'Décolletage', region: 'body' },
  { code: 'axilla_left', display: 'Underarm (hyperhidrosis), left', region: 'body' },
  { code: 'axilla_right', display: 'Underarm (hyperhidrosis), right', region: 'body' },
  { code: 'hand_dorsum_left', display: 'Back of hand, left', region: 'body' },
  { code: 'hand_dorsum_right', display: 'Back of hand, right', region: 'body' },
] as const satisfies readonly InjectionSite[];

export type InjectionSiteCode = (typeof INJECTION_SITES)[number]['code'];

const byCode: ReadonlyMap<string, InjectionSite> = new Map(INJECTION_SITES.map((s) => [s.code, s]));

export const isInjectionSiteCode = (code: string): code is InjectionSiteCode => byCode.has(code);

/** The site for a code, or undefined for a code not in the system. */
export const injectionSite = (code: string): InjectionSite | undefined => byCode.get(code);
