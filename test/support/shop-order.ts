/** An Avro field as the order schemas declare them. */
export interface AvroField {
  readonly name: string;
  readonly type: unknown;
  readonly default?: unknown;
}

/** An Avro record schema. */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace: string;
  readonly fields: readonly AvroField[];
}

/**
 * The Avro order record the codec, publishing and interop tests share (`shop.Order`):
 * an id and a quantity. Tests that need more fields add them with {@link withFields}.
 */
export const AVRO_ORDER: AvroRecordSchema = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'qty', type: 'int' },
  ],
};

/** The order schema with extra fields after `id` and `qty` (a new schema version, or a richer record). */
export function withFields(...fields: AvroField[]): AvroRecordSchema {
  return { ...AVRO_ORDER, fields: [...AVRO_ORDER.fields, ...fields] };
}
