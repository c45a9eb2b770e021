import { nativeExtracts, type ColumnSpec, type ExtractName } from '../../schemas/native.js';

/**
 * The native columns the generator writes, in order. Synthetic rows always carry a cost, so the HRG
 * columns (used only to cost rows without one) are left out.
 */
export function synthColumns(name: ExtractName): ColumnSpec[] {
  return nativeExtracts[name].columns.filter((c) => c.name !== 'hrg');
}
