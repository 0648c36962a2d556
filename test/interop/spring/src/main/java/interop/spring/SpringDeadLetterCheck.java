package interop.spring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Reads kafka-lambda-router's dead letters the way a Spring for Apache Kafka application does: a
 * {@code @KafkaListener} whose parameters are {@code @Header(KafkaHeaders.DLT_*)} with Spring's own
 * byte[]-to-int/long/String conversions. It also reads the original records, and for every record of a
 * keyed topic computes the partition the Java producer's default partitioner picks for its key.
 *
 * <p>The listeners are assigned their partitions (no consumer group): nothing here waits on a group
 * coordinator, a join or a rebalance, which on a loaded machine could outlast the deadline. Configured
 * with system properties: {@code interop.bootstrap}; two dead-letter topics and two original topics,
 * {@code interop.dead-letter-topic.0|1}, {@code interop.original-topic.0|1}, and
 * {@code interop.keyed-topic}, each with its partitions as {@code interop.<role>-partitions[.0|1]}
 * ("0-2"); {@code interop.expected} (records to read in all) and {@code interop.timeout-ms}. Prints
 * one JSON object on stdout; a record a listener could not read is reported under {@code errors} with
 * Spring's message, and {@code timeline} says when each listener got its partitions and its records.
 */
@Configuration
@EnableKafka
public class SpringDeadLetterCheck {

	public static void main(String[] args) throws Exception {
		long timeoutMs = Long.parseLong(System.getProperty("interop.timeout-ms", "120000"));
		String json;
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(SpringDeadLetterCheck.class)) {
			Readings readings = context.getBean(Readings.class);
			boolean complete = readings.remaining.await(timeoutMs, TimeUnit.MILLISECONDS);
			@SuppressWarnings("unchecked")
			ConsumerFactory<byte[], byte[]> consumers = context.getBean(ConsumerFactory.class);
			String keyedTopic = context.getEnvironment().getRequiredProperty("interop.keyed-topic");
			int partitions;
			try (Consumer<byte[], byte[]> metadata = consumers.createConsumer(null, "-metadata")) {
				partitions = metadata.partitionsFor(keyedTopic).size();
			}
			json = readings.report(complete, partitions);
		}
		System.out.println(json);
		System.out.flush();
		// Kafka and Spring leave non-daemon threads behind a closed context only briefly; do not wait for them.
		System.exit(0);
	}

	@Bean
	public ConsumerFactory<byte[], byte[]> consumerFactory(Environment env) {
		Map<String, Object> props = new LinkedHashMap<>();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.getRequiredProperty("interop.bootstrap"));
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
		props.put(ConsumerConfig.CLIENT_ID_CONFIG, "spring-interop");
		return new DefaultKafkaConsumerFactory<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	@Bean
	public ConcurrentKafkaListenerContainerFactory<byte[], byte[]> kafkaListenerContainerFactory(
			ConsumerFactory<byte[], byte[]> consumerFactory, Readings readings) {
		ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(consumerFactory);
		// A record Spring cannot bind (missing header, too few bytes for an int) is reported, not retried.
		factory.setCommonErrorHandler(new DefaultErrorHandler(readings::failed, new FixedBackOff(0L, 0L)));
		// No group: nothing to commit to (records are never acknowledged).
		factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
		// Spring calls it for assigned partitions too: the timeline says when each listener could start reading.
		factory.getContainerProperties().setConsumerRebalanceListener(new ConsumerRebalanceListener() {
			@Override
			public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
				readings.timeline.add(Readings.elapsedMs() + "ms revoked " + partitions);
			}
			@Override
			public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
				readings.timeline.add(Readings.elapsedMs() + "ms assigned " + partitions);
			}
		});
		return factory;
	}

	@Bean
	public Readings readings(Environment env) {
		return new Readings(Integer.parseInt(env.getRequiredProperty("interop.expected")));
	}

	/** What the listeners read, in arrival order per listener. */
	public static class Readings {

		static final long STARTED = System.nanoTime();

		final CountDownLatch remaining;

		final List<String> timeline = Collections.synchronizedList(new ArrayList<>());

		final List<Map<String, Object>> deadLetters = Collections.synchronizedList(new ArrayList<>());

		final List<Map<String, Object>> originals = Collections.synchronizedList(new ArrayList<>());

		final List<ConsumerRecord<byte[], byte[]>> keyed = Collections.synchronizedList(new ArrayList<>());

		final List<Map<String, Object>> errors = Collections.synchronizedList(new ArrayList<>());

		Readings(int expected) {
			this.remaining = new CountDownLatch(expected);
		}

		@KafkaListener(id = "dead-letters", idIsGroup = false, topicPartitions = {
				@TopicPartition(topic = "${interop.dead-letter-topic.0}", partitions = "${interop.dead-letter-partitions.0}"),
				@TopicPartition(topic = "${interop.dead-letter-topic.1}", partitions = "${interop.dead-letter-partitions.1}") })
		public void deadLetter(@Payload(required = false) byte[] value,
				@Header(name = KafkaHeaders.RECEIVED_KEY, required = false) byte[] key,
				@Header(KafkaHeaders.RECEIVED_TOPIC) String topic,
				@Header(KafkaHeaders.RECEIVED_PARTITION) int partition,
				@Header(KafkaHeaders.OFFSET) long offset,
				@Header(KafkaHeaders.DLT_ORIGINAL_TOPIC) String originalTopic,
				@Header(KafkaHeaders.DLT_ORIGINAL_PARTITION) int originalPartition,
				@Header(KafkaHeaders.DLT_ORIGINAL_OFFSET) long originalOffset,
				@Header(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP) long originalTimestamp,
				@Header(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE) String originalTimestampType,
				@Header(KafkaHeaders.DLT_EXCEPTION_FQCN) String exceptionFqcn,
				@Header(KafkaHeaders.DLT_EXCEPTION_MESSAGE) String exceptionMessage,
				@Header(KafkaHeaders.DLT_EXCEPTION_STACKTRACE) String exceptionStacktrace,
				@Header(name = "x-correlation-id", required = false) String correlationId) {
			Map<String, Object> read = new LinkedHashMap<>();
			read.put("topic", topic);
			read.put("partition", partition);
			read.put("offset", offset);
			read.put("key", base64(key));
			read.put("value", base64(value));
			read.put("originalTopic", originalTopic);
			read.put("originalPartition", originalPartition);
			read.put("originalOffset", originalOffset);
			read.put("originalTimestamp", originalTimestamp);
			read.put("originalTimestampType", originalTimestampType);
			// Kafka's own parser for the header's text: throws on anything but CreateTime/LogAppendTime/NoTimestampType.
			read.put("originalTimestampTypeEnum", TimestampType.forName(originalTimestampType).name());
			read.put("exceptionFqcn", exceptionFqcn);
			read.put("exceptionMessage", exceptionMessage);
			read.put("exceptionStacktrace", exceptionStacktrace);
			read.put("correlationId", correlationId);
			this.deadLetters.add(read);
			arrived("dead-letters", this.deadLetters.size());
		}

		@KafkaListener(id = "originals", idIsGroup = false, topicPartitions = {
				@TopicPartition(topic = "${interop.original-topic.0}", partitions = "${interop.original-partitions.0}"),
				@TopicPartition(topic = "${interop.original-topic.1}", partitions = "${interop.original-partitions.1}") })
		public void original(ConsumerRecord<byte[], byte[]> record) {
			Map<String, Object> read = new LinkedHashMap<>();
			read.put("topic", record.topic());
			read.put("partition", record.partition());
			read.put("offset", record.offset());
			read.put("timestamp", record.timestamp());
			read.put("timestampType", record.timestampType().toString());
			this.originals.add(read);
			arrived("originals", this.originals.size());
		}

		@KafkaListener(id = "keyed", idIsGroup = false,
				topicPartitions = @TopicPartition(topic = "${interop.keyed-topic}", partitions = "${interop.keyed-partitions}"))
		public void keyed(ConsumerRecord<byte[], byte[]> record) {
			this.keyed.add(record);
			arrived("keyed", this.keyed.size());
		}

		private void arrived(String listener, int count) {
			if (count == 1) {
				this.timeline.add(elapsedMs() + "ms " + listener + ": first record");
			}
			this.remaining.countDown();
		}

		static long elapsedMs() {
			return (System.nanoTime() - STARTED) / 1_000_000;
		}

		void failed(ConsumerRecord<?, ?> record, Exception exception) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("topic", record.topic());
			error.put("partition", record.partition());
			error.put("offset", record.offset());
			StringBuilder messages = new StringBuilder();
			for (Throwable t = exception; t != null; t = t.getCause()) {
				messages.append(messages.length() == 0 ? "" : " <- ").append(t.getClass().getName()).append(": ").append(t.getMessage());
			}
			error.put("error", messages.toString());
			this.errors.add(error);
			this.remaining.countDown();
		}

		String report(boolean complete, int keyedPartitions) {
			List<Map<String, Object>> keyedReads = new ArrayList<>();
			synchronized (this.keyed) {
				for (ConsumerRecord<byte[], byte[]> record : this.keyed) {
					Map<String, Object> read = new LinkedHashMap<>();
					read.put("key", base64(record.key()));
					read.put("partition", record.partition());
					// What KafkaProducer.partition() uses for a keyed record with no custom partitioner...
					read.put("javaPartition", record.key() == null ? null : BuiltInPartitioner.partitionForKey(record.key(), keyedPartitions));
					// ...and the formula it implements, as documented.
					read.put("murmur2Partition", record.key() == null ? null : Utils.toPositive(Utils.murmur2(record.key())) % keyedPartitions);
					keyedReads.add(read);
				}
			}
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("complete", complete);
			report.put("keyedTopicPartitions", keyedPartitions);
			report.put("errors", copy(this.errors));
			report.put("deadLetters", copy(this.deadLetters));
			report.put("originals", copy(this.originals));
			report.put("keyed", keyedReads);
			report.put("timeline", new ArrayList<>(this.timeline));
			return json(report);
		}

	}

	private static List<Map<String, Object>> copy(List<Map<String, Object>> list) {
		synchronized (list) {
			return new ArrayList<>(list);
		}
	}

	private static String base64(byte[] bytes) {
		return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
	}

	private static String json(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String text) {
			StringBuilder out = new StringBuilder("\"");
			for (char c : text.toCharArray()) {
				switch (c) {
					case '"' -> out.append("\\\"");
					case '\\' -> out.append("\\\\");
					default -> {
						if (c < 0x20) {
							out.append(String.format("\\u%04x", (int) c));
						}
						else {
							out.append(c);
						}
					}
				}
			}
			return out.append('"').toString();
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Map<?, ?> map) {
			List<String> entries = new ArrayList<>();
			map.forEach((k, v) -> entries.add(json(String.valueOf(k)) + ":" + json(v)));
			return "{" + String.join(",", entries) + "}";
		}
		if (value instanceof Collection<?> items) {
			return "[" + String.join(",", items.stream().map(SpringDeadLetterCheck::json).toList()) + "]";
		}
		throw new IllegalArgumentException("not JSON-encodable: " + value.getClass() + " " + Arrays.toString(new Object[] { value }));
	}

}
