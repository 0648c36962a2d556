/** A tiny in-code price list and warehouse map standing in for a real service. */
export const CATALOG: Readonly<Record<string, { price: number; warehouse: string }>> = {
  'SKU-COFFEE': { price: 12.5, warehouse: 'dub-1' },
  'SKU-MUG': { price: 8, warehouse: 'dub-1' },
  'SKU-GRINDER': { price: 89, warehouse: 'fra-2' },
  'SKU-FILTER': { price: 4.25, warehouse: 'fra-2' },
  'SKU-KETTLE': { price: 45, warehouse: 'dub-1' },
};
