"""The peer pipeline for bench/e2e.ts: consume -> validate -> transform -> publish to two topics, with FastStream.

Run: python pipeline.py <brokers> <input-topic> <output-prefix> <expected-count> <confluent|aiokafka> [per-message|batch]
Prints one JSON line once `expected-count` records are handled: records, total and steady seconds
(start to done, first record to last), and CPU seconds (user + sys) of the whole run.

Modes:
- per-message (default): one record per handler call, each publish awaited (FastStream's idiomatic default).
- batch: FastStream's batch subscriber (`batch=True, max_records=500`), one handler call per batch; each
  keyed publish is sent unconfirmed (`no_confirm=True`) and the batch's delivery confirmations are gathered
  once, before the handler returns: the closest FastStream gets to our outbox's one flush per invocation.
"""
import asyncio
import json
import resource
import sys
import time

from pydantic import BaseModel, Field

brokers, topic, prefix, expected, backend = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
mode = sys.argv[6] if len(sys.argv) > 6 else "per-message"
if backend == "aiokafka":
    from faststream.kafka import KafkaBroker
else:
    from faststream.confluent import KafkaBroker
PRICES = {f"SKU-{i}": 1.5 + i for i in range(13)}
BATCH = 500


class Order(BaseModel):
    id: int
    customer: str
    sku: str
    qty: int = Field(gt=0)
    note: str


# No per-message log lines: the other variants log nothing per record either.
broker = KafkaBroker(brokers, logger=None, acks="all", enable_idempotence=True)
audit = broker.publisher(f"{prefix}.audit")
billing = broker.publisher(f"{prefix}.billing")
handled = 0
first_at = 0.0
done = asyncio.Event()


def transform(order: Order) -> dict:
    return {"id": order.id, "customer": order.customer, "sku": order.sku, "qty": order.qty, "total": order.qty * PRICES.get(order.sku, 0)}


def start_clock() -> None:
    global first_at
    if first_at == 0.0:
        first_at = time.perf_counter()


def count(n: int) -> None:
    global handled
    handled += n
    if handled >= expected:
        done.set()


if mode == "batch":

    @broker.subscriber(topic, group_id=f"faststream-{prefix}", auto_offset_reset="earliest", batch=True, max_records=BATCH)
    async def handle_batch(orders: list[Order]) -> None:
        start_clock()
        confirmations = []
        for order in orders:
            out = transform(order)
            key = order.customer.encode()
            confirmations.append(await audit.publish(out, key=key, no_confirm=True))
            confirmations.append(await billing.publish({"id": order.id, "amount": out["total"]}, key=key, no_confirm=True))
        # Every delivery confirmed before the batch counts as handled (and its offsets may be committed).
        await asyncio.gather(*confirmations)
        count(len(orders))

else:

    @broker.subscriber(topic, group_id=f"faststream-{prefix}", auto_offset_reset="earliest")
    async def handle(order: Order) -> None:
        start_clock()
        out = transform(order)
        await audit.publish(out, key=order.customer.encode())
        await billing.publish({"id": order.id, "amount": out["total"]}, key=order.customer.encode())
        count(1)


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
