package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.silt.client.InvalidRequestException;
import io.silt.client.SiltException;
import io.silt.client.internal.DirectTransport;
import io.silt.client.internal.Errors;
import io.silt.client.internal.Partitioners;
import io.silt.client.internal.Transport;
import io.silt.functions.SiltMetrics;
import io.silt.storage.log.segment.Record;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produce as a Lambda function ({@code QUARKUS_LAMBDA_HANDLER=produce}). The event:
 * <pre>{"topic":"orders","encoding":"utf8","idempotencyKey":"order-17",
 *  "records":[{"key":"k","value":"v","headers":{"h":"x"},"partition":null,"timestamp":null}]}</pre>
 * answered with {@code {"records":[{"partition":0,"offset":41}],"duplicate":false}} in request order, once the
 * commits are durable.
 *
 * <p>Partitioning: an explicit {@code partition} wins; keyed records go to {@code murmur2(key) % partitions};
 * unkeyed records of one Lambda instance go to one sticky partition chosen at random when the instance first
 * produces to the topic (DESIGN rule 3: many short-lived writers must not all contend on every partition). With an
 * {@code idempotencyKey}, unkeyed records go to the partition the key hashes to instead, so that a retry landing on
 * another instance appends to the same partition and is recognised: each partition's batch is written as producer
 * {@code sha256(topic, idempotencyKey)}, epoch 0, sequence 0, and a repeat is answered with the first offsets and
 * {@code "duplicate":true} while the partition remembers that producer (DESIGN rule 5).
 *
 * <p>Commit retries are bounded ({@link LambdaLog}); the handler waits for the commits at most until
 * {@code silt.lambda.reserve-ms} before the invocation's deadline, then fails saying the outcome is unknown.
 * Authorization of direct invocations is IAM's ({@code lambda:InvokeFunction}); API keys apply to the {@code http}
 * handler only.
 */
@Named("produce")
public class ProduceHandler implements RequestHandler<ProduceHandler.ProduceEvent, ProduceHandler.ProduceAnswer> {

    /** The event. */
    public record ProduceEvent(String topic, String encoding, List<Item> records, String idempotencyKey) {}

    /** One record of the event; {@code key}, {@code value} and header values are in the event's encoding. */
    public record Item(String key, String value, Map<String, String> headers, Integer partition, Long timestamp) {}

    /** Where one record landed. */
    public record Placed(int partition, long offset) {}

    /** The answer: one placement per record, in order; {@code duplicate} if the whole request was a repeat. */
    public record ProduceAnswer(List<Placed> records, boolean duplicate) {}

    private final LambdaLog log;
    private final SiltMetrics metrics;
    private final int maxRecordBytes;
    private final long reserveMillis;
    private final int instanceSeed = new SecureRandom().nextInt() & Integer.MAX_VALUE;
    private final Map<String, Integer> sticky = new ConcurrentHashMap<>();

    public ProduceHandler(LambdaLog log, SiltMetrics metrics,
                          @ConfigProperty(name = "silt.max-record-bytes", defaultValue = "1048576") int maxRecordBytes,
                          @ConfigProperty(name = "silt.lambda.reserve-ms", defaultValue = "1000") long reserveMillis) {
        this.log = log;
        this.metrics = metrics;
        this.maxRecordBytes = maxRecordBytes;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public ProduceAnswer handleRequest(ProduceEvent event, Context context) {
        long started = System.nanoTime();
        if (event == null || event.topic() == null || event.topic().isBlank()) {
            throw new InvalidRequestException("the event names no topic: {\"topic\":..,\"records\":[..]}");
        }
        if (event.records() == null || event.records().isEmpty()) {
            throw new InvalidRequestException("the event holds no records");
        }
        String topic = event.topic();
        DirectTransport transport = log.transport();
        int partitions = transport.topic(topic).partitions();
        EventRecords.Encoding encoding = EventRecords.Encoding.of(event.encoding());
        long now = transport.clock().millis();
        int unkeyed = event.idempotencyKey() == null
                ? Math.floorMod(sticky.computeIfAbsent(topic, t -> instanceSeed), partitions)
                : Math.floorMod(Long.hashCode(producerId(topic, event.idempotencyKey())), partitions);

        Map<Integer, List<Record>> byPartition = new LinkedHashMap<>();
        int[] partitionOf = new int[event.records().size()];
        int[] indexInBatch = new int[partitionOf.length];
        long bytes = 0;
        for (int i = 0; i < partitionOf.length; i++) {
            Item item = event.records().get(i);
            if (item == null) {
                throw new InvalidRequestException("record " + i + " is null");
            }
            Record r = EventRecords.toRecord(encoding, item.key(), item.value(), item.headers(), item.timestamp(), now);
            int p = item.partition() != null ? item.partition()
                    : r.key() != null ? Partitioners.forKey(r.key(), partitions) : unkeyed;
            if (p < 0 || p >= partitions) {
                throw new InvalidRequestException("topic '" + topic + "' has partitions 0.." + (partitions - 1)
                        + "; there is no partition " + p);
            }
            List<Record> batch = byPartition.computeIfAbsent(p, x -> new ArrayList<>());
            partitionOf[i] = p;
            indexInBatch[i] = batch.size();
            batch.add(r);
            bytes += EventRecords.size(r);
        }

        long producer = event.idempotencyKey() == null ? 0 : producerId(topic, event.idempotencyKey());
        Transport.Encoding batchEncoding = new Transport.Encoding(false, maxRecordBytes);
        Map<Integer, CompletableFuture<Transport.AppendAck>> acks = new LinkedHashMap<>();
        byPartition.forEach((p, records) -> acks.put(p,
                transport.append(topic, p, producer, 0, 0, records, batchEncoding)));
        Map<Integer, Transport.AppendAck> done = await(topic, acks, context);

        List<Placed> placed = new ArrayList<>(partitionOf.length);
        for (int i = 0; i < partitionOf.length; i++) {
            placed.add(new Placed(partitionOf[i], done.get(partitionOf[i]).baseOffset() + indexInBatch[i]));
        }
        boolean duplicate = done.values().stream().allMatch(Transport.AppendAck::duplicate);
        metrics.produced(topic, duplicate ? 0 : partitionOf.length, duplicate ? 0 : bytes,
                System.nanoTime() - started);
        return new ProduceAnswer(placed, duplicate);
    }

    private Map<Integer, Transport.AppendAck> await(String topic,
                                                   Map<Integer, CompletableFuture<Transport.AppendAck>> acks,
                                                   Context context) {
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(Deadlines.budgetMillis(context, reserveMillis));
        Map<Integer, Transport.AppendAck> done = new LinkedHashMap<>();
        for (var e : acks.entrySet()) {
            try {
                done.put(e.getKey(), e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException t) {
                metrics.refused("lambda-produce", "timeout");
                throw new SiltException("the commit to " + topic + "/" + e.getKey() + " did not finish before the "
                        + "invocation's deadline; its outcome is unknown. Retry with the same idempotencyKey to "
                        + "append it once");
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new SiltException("interrupted while committing", ie);
            } catch (ExecutionException ee) {
                SiltException failure = Errors.translate(ee.getCause());
                metrics.refused("lambda-produce", failure.getClass().getSimpleName());
                throw failure;
            }
        }
        return done;
    }

    /** The producer id an idempotency key stands for: non-zero, the same on every instance. */
    static long producerId(String topic, String idempotencyKey) {
        if (idempotencyKey.isEmpty() || idempotencyKey.length() > 200) {
            throw new InvalidRequestException("idempotencyKey must have 1 to 200 characters");
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    ("silt-idempotency\0" + topic + "\0" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (h[i] & 0xff);
            }
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
