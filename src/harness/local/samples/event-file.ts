import type { KafkaEvent } from '../../../runtime/event/types.js';

/** The JSON text of a sample event file: indented, with header byte arrays on one line each (still plain JSON). */
export function eventFileText(event: KafkaEvent): string {
  return `${JSON.stringify(event, null, 2).replace(/\[\s*(\d+(?:,\s*\d+)*)\s*\]/g, (_, bytes: string) => `[${bytes.replace(/\s+/g, '')}]`)}\n`;
}

/** `validateOrders` → `validate-orders`: the file name of a function's sample event. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}
