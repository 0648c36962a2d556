import { describe, expect, it } from 'vitest';
import { renderAvroTable, renderValueSchema } from '../../../../src/harness/docs/format-view.js';

const rows = (html: string) =>
  [...html.matchAll(/<tr><td><code>(.*?)<\/code><\/td><td><code>(.*?)<\/code><\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1));

describe('value schemas on the page', () => {
  it('shows an Avro record as its fields with Avro types: unions, arrays, maps, logical types, nested records as paths', () => {
    const html = renderAvroTable({
      type: 'record',
      name: 'Order',
      fields: [
        { name: 'id', type: 'string', doc: 'The <order> id' },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'lines', type: { type: 'array', items: 'string' } },
        { name: 'totals', type: { type: 'map', values: 'long' } },
        { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'address', type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] }] },
      ],
    });
    expect(rows(html)).toEqual([
      ['id', 'string', 'The &#60;order&#62; id'],
      ['note', 'null | string', 'default null'],
      ['lines', 'array&#60;string&#62;', ''],
      ['totals', 'map&#60;long&#62;', ''],
      ['placedAt', 'long (timestamp-millis)', ''],
      ['address', 'null | record Address', ''],
      ['address.city', 'string', ''],
    ]);
  });

  it('stops on a recursive Avro record', () => {
    const html = renderAvroTable({
      type: 'record',
      name: 'Node',
      fields: [{ name: 'next', type: ['null', { type: 'record', name: 'Node', fields: [] }] }],
    });
    expect(rows(html)).toEqual([['next', 'null | record Node', '']]);
  });

  it('shows Protobuf as its escaped .proto text, and a draft-07 JSON Schema as a table', () => {
    const proto = renderValueSchema(
      {
        schemaFormat: 'application/vnd.google.protobuf;version=3',
        schema: 'message A { map<string, int32> m = 1; }',
        'x-message-type': 'A',
      },
      {},
    );
    expect(proto).toContain('<pre class="proto"><code>message A { map&#60;string, int32&#62; m = 1; }</code></pre>');
    expect(proto).toContain('message <code>A</code>');
    const json = renderValueSchema(
      { schemaFormat: 'application/schema+json;version=draft-07', schema: { type: 'object', properties: { id: { type: 'string' } } } },
      {},
    );
    expect(json).toContain('<td><code>id</code></td><td>string</td>');
    expect(json).toContain('JSON Schema');
  });
});
