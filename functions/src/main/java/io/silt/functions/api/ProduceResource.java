package io.silt.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.silt.client.internal.Partitioners;
import io.silt.client.internal.Transport;
import io.silt.client.internal.Transport.AppendAck;
import io.silt.client.internal.wire.BatchCodec;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.TopicNames;
import io.silt.storage.log.segment.Record;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Produce routes (RFC 0009, "Produce"). A request is answered only after the commit record naming its records is
 * durable; the process has one committer per partition, so concurrent requests to a partition share commit records
 * (DESIGN rule 3). Methods run on worker threads and return at once; the answer is sent when the commit completes,
 * so a request waiting for its commit holds no thread.
 */
@Path("/v1/topics")
@Tag(name = "Produce", description = "Append records")
public class ProduceResource {
    private final Transport transport;
    private final SiltMetrics metrics;
    private final ApiLimits limits;
    private final ProduceAdmission admission;
    private final IdempotencyKeys idempotency;
    private final LongPolls polls;
    private final ObjectMapper json;
    private final Executor workers = Infrastructure.getDefaultWorkerPool();
    /** Per topic: the partition unkeyed records go to, moving on with every request. */
    private final Map<String, AtomicInteger> sticky = new ConcurrentHashMap<>();

    public ProduceResource(SiltRuntime runtime, SiltMetrics metrics, ApiLimits limits, ProduceAdmission admission,
                           IdempotencyKeys idempotency, LongPolls polls, ObjectMapper json) {
        this.transport = runtime.transport();
        this.metrics = metrics;
        this.limits = limits;
        this.admission = admission;
        this.idempotency = idempotency;
        this.polls = polls;
        this.json = json;
    }

    @POST
    @Path("/{topic}/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Append records to a topic",
            description = "Keyed records go to murmur2(key) % partitions (Kafka's choice), unkeyed ones to one "
                    + "partition per request, rotating; a record may name its partition. Answers "
                    + "{\"records\":[{\"partition\":..,\"offset\":..}],\"duplicate\":false} in request order once "
                    + "the commit is durable.")
    @APIResponse(responseCode = "200", description = "Appended")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    @APIResponse(responseCode = "409", description = "urn:silt:problem:conflict (Idempotency-Key in use)")
    @APIResponse(responseCode = "413", description = "urn:silt:problem:too-large")
    @APIResponse(responseCode = "415", description = "urn:silt:problem:unsupported-media-type")
    @APIResponse(responseCode = "429", description = "urn:silt:problem:back-pressure (Retry-After)")
    @APIResponse(responseCode = "503", description = "urn:silt:problem:store-unavailable or unavailable")
    public CompletionStage<Response> produceToTopic(
            @PathParam("topic") String topic,
            @Parameter(description = "makes a retry append once") @HeaderParam("Idempotency-Key") String key,
            byte[] body) {
        long started = System.nanoTime();
        checkSize(body);
        TopicNames.validate("topic", topic);
        List<RecordsJson.Produced> records = RecordsJson.produced(RecordsJson.parse(json, body),
                transport.clock().millis());
        int partitions = transport.topic(topic).partitions();
        int unkeyed = Math.floorMod(sticky.computeIfAbsent(topic,
                t -> new AtomicInteger(ThreadLocalRandom.current().nextInt(partitions))).getAndIncrement(), partitions);
        int[] target = new int[records.size()];
        Map<Integer, List<Integer>> byPartition = new java.util.TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            RecordsJson.Produced r = records.get(i);
            int p;
            if (r.partition() != null) {
                p = r.partition();
                if (p >= partitions) {
                    throw ApiErrors.invalid("records[" + i + "].partition is " + p + " but topic '" + topic
                            + "' has partitions 0.." + (partitions - 1));
                }
            } else if (r.record().key() != null) {
                p = Partitioners.forKey(r.record().key(), partitions);
            } else {
                p = unkeyed;
            }
            target[i] = p;
            byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(i);
        }
        Supplier<CompletionStage<ObjectNode>> append = () -> admitted(body.length, () -> {
            Map<Integer, CompletableFuture<AppendAck>> acks = new java.util.TreeMap<>();
            for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
                List<Record> batch = new ArrayList<>(e.getValue().size());
                e.getValue().forEach(i -> batch.add(records.get(i).record()));
                acks.put(e.getKey(), append(topic, e.getKey(), 0, 0, 0, batch, true));
            }
            return CompletableFuture.allOf(acks.values().toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
                long[] offsets = new long[records.size()];
                for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
                    long base = acks.get(e.getKey()).join().baseOffset();
                    List<Integer> indexes = e.getValue();
                    for (int j = 0; j < indexes.size(); j++) {
                        offsets[indexes.get(j)] = base + j;
                    }
                }
                ObjectNode answer = json.createObjectNode();
                ArrayNode out = answer.putArray("records");
                for (int i = 0; i < records.size(); i++) {
                    out.addObject().put("partition", target[i]).put("offset", offsets[i]);
                }
                answer.put("duplicate", false);
                long bytes = records.stream().mapToLong(r -> RecordsJson.bytes(r.record())).sum();
                metrics.produced(topic, records.size(), bytes, System.nanoTime() - started);
                return answer;
            }, workers);
        });
        return answer(topic, key, fingerprint("topic", topic, MediaType.APPLICATION_JSON, body, null), append);
    }

    @POST
    @Path("/{topic}/partitions/{partition}/records")
    @Consumes({MediaType.APPLICATION_JSON, BatchCodec.MEDIA_TYPE})
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Append a batch to one partition",
            description = "JSON as for the topic route (partition fields ignored) or the binary batch "
                    + "application/vnd.silt.batch. Silt-Producer-Id, -Epoch and -First-Sequence make the batch "
                    + "idempotent (a retry is acknowledged once, duplicate=true); Silt-Compress asks for LZ4. "
                    + "Answers {\"partition\":p,\"baseOffset\":..,\"count\":..,\"duplicate\":false}.")
    @APIResponse(responseCode = "200", description = "Appended")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    @APIResponse(responseCode = "409", description = "urn:silt:problem:producer-fenced or conflict")
    @APIResponse(responseCode = "413", description = "urn:silt:problem:too-large")
    @APIResponse(responseCode = "415", description = "urn:silt:problem:unsupported-media-type")
    @APIResponse(responseCode = "429", description = "urn:silt:problem:back-pressure (Retry-After)")
    @APIResponse(responseCode = "503", description = "urn:silt:problem:store-unavailable or unavailable")
    public CompletionStage<Response> produceToPartition(
            @PathParam("topic") String topic,
            @PathParam("partition") int partition,
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Idempotency-Key") String key,
            @HeaderParam("Silt-Producer-Id") String producerId,
            @HeaderParam("Silt-Producer-Epoch") String producerEpoch,
            @HeaderParam("Silt-First-Sequence") String firstSequence,
            @HeaderParam("Silt-Compress") String compress,
            byte[] body) {
        long started = System.nanoTime();
        checkSize(body);
        TopicNames.validate("topic", topic);
        long now = transport.clock().millis();
        boolean binary = contentType != null && contentType.toLowerCase().startsWith(BatchCodec.MEDIA_TYPE);
        List<Record> records;
        if (binary) {
            records = BatchCodec.decodeRecords(body, now);
            if (records.isEmpty()) {
                throw ApiErrors.invalid("the batch holds no records");
            }
        } else {
            records = RecordsJson.produced(RecordsJson.parse(json, body), now).stream()
                    .map(RecordsJson.Produced::record).toList();
        }
        long pid = 0;
        int epoch = 0;
        int sequence = 0;
        if (producerId != null || producerEpoch != null || firstSequence != null) {
            if (producerId == null || producerEpoch == null || firstSequence == null) {
                throw ApiErrors.invalid("Silt-Producer-Id, Silt-Producer-Epoch and Silt-First-Sequence go together");
            }
            try {
                pid = Long.parseLong(producerId.trim());
                epoch = Integer.parseInt(producerEpoch.trim());
                sequence = Integer.parseInt(firstSequence.trim());
            } catch (NumberFormatException e) {
                throw ApiErrors.invalid("Silt-Producer-Id, -Epoch and -First-Sequence must be integers");
            }
            if (pid == 0 || epoch < 0 || sequence < 0) {
                throw ApiErrors.invalid("Silt-Producer-Id must not be 0, the epoch and first sequence must be >= 0");
            }
        }
        boolean lz4 = compress == null || Boolean.parseBoolean(compress.trim());
        long fpid = pid;
        int fepoch = epoch;
        int fsequence = sequence;
        Supplier<CompletionStage<ObjectNode>> append = () -> admitted(body.length, () ->
                append(topic, partition, fpid, fepoch, fsequence, records, lz4).thenApplyAsync(ack -> {
                    long bytes = records.stream().mapToLong(RecordsJson::bytes).sum();
                    metrics.produced(topic, records.size(), bytes, System.nanoTime() - started);
                    return json.createObjectNode().put("partition", partition).put("baseOffset", ack.baseOffset())
                            .put("count", ack.count()).put("duplicate", ack.duplicate());
                }, workers));
        String fingerprintHeaders = pid == 0 ? null : pid + "/" + epoch + "/" + sequence;
        return answer(topic, key, fingerprint("partition/" + partition, topic, binary ? BatchCodec.MEDIA_TYPE
                : MediaType.APPLICATION_JSON, body, fingerprintHeaders), append);
    }

    private CompletableFuture<AppendAck> append(String topic, int partition, long pid, int epoch, int sequence,
                                                List<Record> records, boolean lz4) {
        return transport.append(topic, partition, pid, epoch, sequence, records,
                        new Transport.Encoding(lz4, limits.maxRecordBytes()))
                .whenComplete((ack, e) -> {
                    if (e == null) {
                        polls.wake(topic, partition);
                    }
                });
    }

    /** Runs {@code work} within the in-flight limit, releasing its bytes when it completes. */
    private CompletionStage<ObjectNode> admitted(long bytes, Supplier<CompletionStage<ObjectNode>> work) {
        ProduceAdmission.Ticket ticket = admission.admit(bytes);
        CompletionStage<ObjectNode> s;
        try {
            s = work.get();
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
        return s.whenComplete((a, e) -> ticket.release());
    }

    private CompletionStage<Response> answer(String topic, String key, byte[] fingerprint,
                                             Supplier<CompletionStage<ObjectNode>> append) {
        admission.checkOpen();
        CompletionStage<ObjectNode> answer = key == null ? append.get()
                : idempotency.once(topic, key, fingerprint, append);
        return answer.thenApply(a -> Response.ok(a, MediaType.APPLICATION_JSON).build());
    }

    private void checkSize(byte[] body) {
        if (body != null && body.length > limits.maxRequestBytes()) {
            throw ApiErrors.tooLarge("the request body is " + body.length + " bytes; the limit "
                    + "(silt.max-request-bytes) is " + limits.maxRequestBytes() + "; send smaller batches");
        }
    }

    private static byte[] fingerprint(String route, String topic, String type, byte[] body, String producer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        out.writeBytes((route + "\n" + topic + "\n" + type + "\n" + producer + "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
