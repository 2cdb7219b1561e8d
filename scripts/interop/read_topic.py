#!/usr/bin/env python3
"""Read a distillwatch topic from Python with Confluent's own client, one JSON object per line.

What it is for: opening distillwatch's Avro topics (``usage-events``, ``account-features``,
``distillation-alerts``) from Python or Jupyter with the tools data scientists already use --
``confluent_kafka``'s DeserializingConsumer, AvroDeserializer and SchemaRegistryClient -- and
proving, in the project's integration tests, that what distillwatch writes is plain Confluent
wire format that any Confluent client decodes. It never writes to Kafka, never commits offsets
and never joins a consumer group: it assigns every partition from the beginning.

It stops at the first of: ``--max`` records printed; the end of every partition (as it was when
the tool started); ``--idle-timeout`` seconds without a record.

Run it through the project's venv (``bash scripts/setup-python.sh`` creates it)::

    .venv/bin/python scripts/interop/read_topic.py usage-events --max 5
    .venv/bin/python scripts/interop/read_topic.py distillation-alerts --meta | jq .value.severity

Environment (the same as the distillwatch CLI):
    KAFKA_BROKERS              bootstrap servers, default 127.0.0.1:9092
    SCHEMA_REGISTRY_URL        Confluent-compatible registry API,
                               default http://127.0.0.1:8081/apis/ccompat/v7
    DISTILLWATCH_TOPIC_PREFIX  prepended to the topic name given, default empty

In a notebook the same loop gives a DataFrame::

    import json, subprocess, pandas as pd
    out = subprocess.run(['.venv/bin/python', 'scripts/interop/read_topic.py', 'usage-events'],
                         capture_output=True, text=True, check=True).stdout
    df = pd.DataFrame(json.loads(line) for line in out.splitlines())

The dead-letter topic ``usage-events.dlq`` is plain JSON, not Avro: read it with any consumer.
"""

import argparse
import json
import os
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, DeserializingConsumer, KafkaException, TopicPartition
from confluent_kafka.error import ValueDeserializationError
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import StringDeserializer

DEFAULT_BROKERS = "127.0.0.1:9092"
DEFAULT_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Print the records of a distillwatch Avro topic as JSON lines (stdout).",
        epilog="Environment: KAFKA_BROKERS (default %s), SCHEMA_REGISTRY_URL (default %s), "
        "DISTILLWATCH_TOPIC_PREFIX (default empty)." % (DEFAULT_BROKERS, DEFAULT_REGISTRY),
    )
    parser.add_argument("topic", help="topic name without the prefix, e.g. usage-events")
    parser.add_argument("--max", type=int, default=None, metavar="N", help="stop after N records (default: all)")
    parser.add_argument(
        "--idle-timeout", type=float, default=10.0, metavar="S",
        help="stop after S seconds without a record (default 10)",
    )
    parser.add_argument(
        "--meta", action="store_true",
        help="wrap each record as {topic, partition, offset, timestamp, key, value} instead of the value alone",
    )
    return parser.parse_args(argv)


def end_offsets(consumer, topic):
    """High watermark of every partition of the topic, as it is now: where 'the end' is."""
    metadata = consumer.list_topics(topic, timeout=10)
    described = metadata.topics.get(topic)
    if described is None or described.error is not None:
        raise SystemExit("read_topic: topic '%s' does not exist (is `distillwatch infra up` done?)" % topic)
    ends = {}
    for partition in described.partitions:
        _low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        ends[partition] = high
    return ends


def main(argv):
    args = parse_args(argv)
    topic = os.environ.get("DISTILLWATCH_TOPIC_PREFIX", "") + args.topic
    registry = SchemaRegistryClient({"url": os.environ.get("SCHEMA_REGISTRY_URL", DEFAULT_REGISTRY)})
    consumer = DeserializingConsumer({
        "bootstrap.servers": os.environ.get("KAFKA_BROKERS", DEFAULT_BROKERS),
        # Required by the client, but unused: partitions are assigned, nothing is committed.
        "group.id": "distillwatch-read-topic",
        "enable.auto.commit": False,
        "key.deserializer": StringDeserializer("utf_8"),
        # TOPIC: the subject is '<topic>-value', as distillwatch registers it; the writer schema
        # is fetched by the id in each record, so every schema version decodes.
        "value.deserializer": AvroDeserializer(registry, conf={"subject.name.strategy.type": "TOPIC"}),
    })
    try:
        ends = end_offsets(consumer, topic)
        pending = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in ends])
        printed = 0
        last_record_at = time.monotonic()
        while pending and (args.max is None or printed < args.max):
            try:
                message = consumer.poll(0.5)
            except ValueDeserializationError as err:
                bad = err.kafka_message
                raise SystemExit(
                    "read_topic: record at partition %d offset %d of %s is not Confluent Avro (%s); "
                    "the .dlq topic is plain JSON, read it with any consumer"
                    % (bad.partition(), bad.offset(), topic, err)
                )
            if message is None:
                if time.monotonic() - last_record_at > args.idle_timeout:
                    print("read_topic: idle for %gs, stopping" % args.idle_timeout, file=sys.stderr)
                    break
                continue
            if message.error() is not None:
                raise KafkaException(message.error())
            last_record_at = time.monotonic()
            if args.meta:
                _kind, timestamp = message.timestamp()
                line = {
                    "topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
                    "timestamp": timestamp, "key": message.key(), "value": message.value(),
                }
            else:
                line = message.value()
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            printed += 1
            if message.offset() + 1 >= ends[message.partition()]:
                pending.discard(message.partition())
        print("read_topic: %d records from %s" % (printed, topic), file=sys.stderr)
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
