import protobufjs from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { protoTextOf } from '../../../../src/harness/docs/proto-text.js';

const RICH = `syntax = "proto3";
package shop.orders;

message Order {
  string id = 1;
  repeated Line lines = 2;
  map<string, int64> totals = 3;
  optional string note = 4;
  Status status = 5;
  oneof payer {
    string customer_id = 6;
    Company company = 7;
  }
  message Line {
    string sku = 1;
    int32 quantity = 2;
    Kind kind = 3;
    enum Kind {
      PHYSICAL = 0;
      DIGITAL = 1;
    }
  }
}

message Company {
  string vat = 1;
}

enum Status {
  NEW = 0;
  PAID = 2;
}

message Unused {
  bool flag = 1;
}
`;

const root = (text: string) => protobufjs.parse(text, { keepCase: true }).root;

/** What protobufjs makes of a type and what it refers to: names, numbers, labels, maps, oneofs, enum values. */
const shape = (type: protobufjs.Type) => JSON.parse(JSON.stringify(type.toJSON()));

describe('protoTextOf', () => {
  it('renders a type that parses back to the same declarations: nested types, enums, maps, oneofs, optional, repeated', () => {
    // Looked up straight after parse, as users do: protobufjs has not resolved its field types yet.
    const order = root(RICH).lookupType('shop.orders.Order');
    const rendered = protoTextOf(order);
    if (!rendered.ok) throw new Error(rendered.reason);
    expect(rendered.messageType).toBe('shop.orders.Order');

    const again = root(rendered.text);
    for (const name of ['shop.orders.Order', 'shop.orders.Company', 'shop.orders.Order.Line'])
      expect(shape(again.lookupType(name))).toEqual(shape(root(RICH).lookupType(name)));
    expect(again.lookupEnum('shop.orders.Status').values).toEqual({ NEW: 0, PAID: 2 });
    expect(again.lookupEnum('shop.orders.Order.Line.Kind').values).toEqual({ PHYSICAL: 0, DIGITAL: 1 });
    // Only what the type uses, and the type marked as the root among several messages (AsyncAPI's Protobuf parser).
    expect(again.lookup('shop.orders.Unused')).toBeNull();
    expect(rendered.text).toMatch(/\/\/ @RootNode\nmessage Order \{/);
  });

  it('needs no @RootNode marker for a lone message', () => {
    const rendered = protoTextOf(root('syntax = "proto3"; message Ping { int64 at = 1; }').lookupType('Ping'));
    expect(rendered).toEqual({ ok: true, text: 'syntax = "proto3";\n\nmessage Ping {\n  int64 at = 1;\n}\n', messageType: 'Ping' });
  });

  it('says why it cannot render: a pbjs static class, a type from another package, a proto2 required field', () => {
    const staticClass = class Order {};
    expect(protoTextOf(staticClass)).toEqual({ ok: false, reason: expect.stringMatching(/not a protobufjs reflection Type/) });

    const twoPackages = root(`syntax = "proto3";
      package a; message Outer { b.Inner inner = 1; }`);
    twoPackages.add(new protobufjs.Namespace('b').add(new protobufjs.Type('Inner').add(new protobufjs.Field('x', 1, 'int32'))));
    twoPackages.resolveAll();
    expect(protoTextOf(twoPackages.lookupType('a.Outer'))).toEqual({ ok: false, reason: 'it uses b.Inner from another package' });

    const dangling = root('syntax = "proto3"; message Order { Missing m = 1; }').lookupType('Order');
    expect(protoTextOf(dangling)).toEqual({ ok: false, reason: expect.stringMatching(/^its types do not resolve \(.*Missing/) });

    const proto2 = root('syntax = "proto2"; message Legacy { required string id = 1; }').lookupType('Legacy');
    expect(protoTextOf(proto2)).toEqual({ ok: false, reason: "field 'id' is a proto2 required field" });
  });
});
