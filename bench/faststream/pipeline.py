"""The peer pipeline for bench/e2e.ts: consume -> validate -> transform -> publish to two topics, with FastStream.

Run: python pipeline.py <brokers> <input-topic> <output-prefix> <expected-count> <confluent|aiokafka>
Prints one JSON line once `expected-count` records are handled: records, total and steady seconds
(start to done, first record to last), and CPU seconds (user + sys) of the whole run.
"""
import asyncio
import json
import resource
import sys
import time

from pydantic import BaseModel, Field

brokers, topic, prefix, expected, backend = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
if backend == "aiokafka":
    from faststream.kafka import KafkaBroker
else:
    from faststream.confluent import KafkaBroker
PRICES = {f"SKU-{i}": 1.5 + i for i in range(13)}


class Order(BaseModel):
    id: int
    customer: str
    sku: str
    qty: int = Field(gt=0)
    note: str


# No per-message log lines: the other variants log nothing per record either.
broker = KafkaBroker(brokers, logger=None)
audit = broker.publisher(f"{prefix}.audit")
billing = broker.publisher(f"{prefix}.billing")
handled = 0
first_at = 0.0
done = asyncio.Event()


@broker.subscriber(topic, group_id=f"faststream-{prefix}", auto_offset_reset="earliest")
async def handle(order: Order) -> None:
    global handled, first_at
    if handled == 0:
        first_at = time.perf_counter()
    out = {"id": order.id, "customer": order.customer, "sku": order.sku, "qty": order.qty, "total": order.qty * PRICES.get(order.sku, 0)}
    await audit.publish(out, key=order.customer.encode())
    await billing.publish({"id": order.id, "amount": out["total"]}, key=order.customer.encode())
    handled += 1
    if handled >= expected:
        done.set()


async def main() -> None:
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    await broker.start()
    await done.wait()
    await broker.stop()
    t1 = time.perf_counter()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(json.dumps({"records": handled, "seconds": t1 - t0, "steady_seconds": t1 - first_at, "cpu_seconds": cpu}))


asyncio.run(main())
