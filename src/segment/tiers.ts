/** The three Symphony segments, most complex first (the order every output lists them in). */
export const tierNames = ['complex', 'less_complex', 'mainly_healthy'] as const;
export type Tier = (typeof tierNames)[number];

/** Labels for people (reports, spreadsheets). */
export const tierLabels: Record<Tier, string> = {
  complex: 'complex',
  less_complex: 'less complex',
  mainly_healthy: 'mainly healthy',
};
