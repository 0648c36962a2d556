"""Confluent's Python client on the other side of our router (test/integration/interop/confluent-python.test.ts).

produce: serializes one Avro, one Protobuf and one JSON Schema value with confluent-kafka's serializers,
         their SchemaRegistryClient pointed at our local registry, and produces them to the real broker.
consume: reads our router's outputs from three topics and deserializes them with confluent-kafka's
         deserializers; prints one JSON object per message.
"""
import argparse
import json
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.json_format import MessageToDict

AVRO_SCHEMA = json.dumps({
    "type": "record", "name": "Order", "namespace": "shop",
    "fields": [{"name": "id", "type": "string"}, {"name": "qty", "type": "int"}, {"name": "cents", "type": "long"}],
})
JSON_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
    "properties": {"id": {"type": "string"}, "qty": {"type": "integer"}}, "required": ["id", "qty"],
})


def order_message_class():
    """shop.Order { string id = 1; int32 qty = 2; } built at run time (no protoc needed)."""
    file = descriptor_pb2.FileDescriptorProto(name="shop/order.proto", package="shop", syntax="proto3")
    message = file.message_type.add(name="Order")
    message.field.add(name="id", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    message.field.add(name="qty", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
                      label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.Order"))


def produce(args):
    registry = SchemaRegistryClient({"url": args.registry})
    producer = Producer({"bootstrap.servers": args.bootstrap})
    Order = order_message_class()
    avro = AvroSerializer(registry, AVRO_SCHEMA, conf={"auto.register.schemas": True})
    proto = ProtobufSerializer(Order, registry, conf={"auto.register.schemas": True, "use.deprecated.format": False})
    js = JSONSerializer(JSON_SCHEMA, registry, conf={"auto.register.schemas": True})
    values = [
        (args.avro_topic, avro, {"id": "py-1", "qty": 2, "cents": 4_000_000_000}),
        (args.proto_topic, proto, Order(id="py-2", qty=3)),
        (args.json_topic, js, {"id": "py-3", "qty": 4}),
    ]
    for topic, serializer, value in values:
        payload = serializer(value, SerializationContext(topic, MessageField.VALUE))
        producer.produce(topic, key=b"k", value=payload)
    if producer.flush(30) != 0:
        sys.exit("not every message was delivered")


def consume(args):
    registry = SchemaRegistryClient({"url": args.registry})
    Order = order_message_class()
    deserializers = {
        args.avro_topic: AvroDeserializer(registry),
        args.proto_topic: ProtobufDeserializer(Order, {"use.deprecated.format": False}),
        args.json_topic: JSONDeserializer(None, schema_registry_client=registry),
    }
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe(list(deserializers))
    remaining = {topic: args.count for topic in deserializers}
    polls = 0
    while any(remaining.values()) and polls < 300:
        polls += 1
        message = consumer.poll(0.2)
        if message is None or message.error():
            continue
        topic = message.topic()
        value = deserializers[topic](message.value(), SerializationContext(topic, MessageField.VALUE))
        if isinstance(value, Order):
            value = MessageToDict(value, preserving_proto_field_name=True)
        print(json.dumps({"topic": topic, "value": value}), flush=True)
        remaining[topic] -= 1
    consumer.close()
    if any(remaining.values()):
        sys.exit(f"timed out; still expecting {remaining}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--avro-topic", required=True)
    parser.add_argument("--proto-topic", required=True)
    parser.add_argument("--json-topic", required=True)
    parser.add_argument("--group", default="interop-reader")
    parser.add_argument("--count", type=int, default=1)
    args = parser.parse_args()
    produce(args) if args.mode == "produce" else consume(args)


if __name__ == "__main__":
    main()
