package io.silt.functions.api.queues;

import io.silt.client.InvalidRequestException;
import io.silt.client.QueueMessage;
import io.silt.client.UnknownTopicException;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.functions.api.groups.JsonBodies;
import io.silt.functions.api.groups.RecordJson;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The queue routes of the REST API (RFC 0009, "Queues"): receive messages with receipts, ack and nack them by
 * receipt, and redrive a queue's dead letters. Every caller of a queue shares this instance's consumer of it
 * ({@link QueueConsumers}). An ack or nack answers once it is written to the bucket.
 */
@Path("/v1/topics/{topic}/queues/{queue}")
@Produces(MediaType.APPLICATION_JSON)
public class QueuesResource {
    /** The most messages one receive returns. */
    static final int MAX_MESSAGES = 500;

    private final SiltRuntime runtime;
    private final QueueConsumers queues;
    private final SiltMetrics metrics;
    private final long maxWaitMs;

    public QueuesResource(SiltRuntime runtime, QueueConsumers queues, SiltMetrics metrics,
                          @ConfigProperty(name = "silt.max-wait-ms", defaultValue = "20000") long maxWaitMs) {
        this.runtime = runtime;
        this.queues = queues;
        this.metrics = metrics;
        this.maxWaitMs = maxWaitMs;
    }

    public record ReceiveRequest(Integer max, Long visibilityMs, Long waitMs, String encoding) {}

    public record Message(String receipt, int partition, long offset, int deliveries, long timestamp, String key,
                          String value, Map<String, String> headers) {}

    public record Messages(List<Message> messages) {}

    public record AckRequest(List<String> receipts) {}

    public record NackRequest(List<String> receipts, Long delayMs) {}

    public record Acked(int acked) {}

    public record Nacked(int nacked) {}

    public record Redriven(long redriven) {}

    private static final ReceiveRequest DEFAULT_RECEIVE = new ReceiveRequest(null, null, null, null);

    @POST
    @Path("/receive")
    public Messages receive(@PathParam("topic") String topic, @PathParam("queue") String queue, String body) {
        ReceiveRequest req = JsonBodies.read(body, ReceiveRequest.class, DEFAULT_RECEIVE);
        int max = req.max() == null ? 10 : req.max();
        if (max < 1 || max > MAX_MESSAGES) {
            throw new InvalidRequestException("max must be between 1 and " + MAX_MESSAGES + ", not " + max);
        }
        long waitMs = req.waitMs() == null ? 0 : req.waitMs();
        if (waitMs < 0 || waitMs > maxWaitMs) {
            throw new InvalidRequestException("waitMs must be between 0 and " + maxWaitMs + ", not " + waitMs);
        }
        if (req.visibilityMs() != null && req.visibilityMs() < 1) {
            throw new InvalidRequestException("visibilityMs must be at least 1, not " + req.visibilityMs());
        }
        Duration visibility = req.visibilityMs() == null ? null : Duration.ofMillis(req.visibilityMs());
        RecordJson.Encoding enc = RecordJson.Encoding.parse(req.encoding());
        List<QueueMessage> got = queues.with(topic, queue,
                c -> c.receive(max, visibility, Duration.ofMillis(waitMs)));
        count(topic, got);
        return new Messages(got.stream().map(m -> new Message(m.receipt(), m.partition(), m.offset(),
                m.deliveryCount(), m.timestamp(), enc.encode(m.key()), enc.encode(m.value()),
                enc.headers(m.headers()))).toList());
    }

    private void count(String topic, List<QueueMessage> got) {
        if (got.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        long bytes = 0;
        long[] ages = new long[got.size()];
        for (int i = 0; i < got.size(); i++) {
            QueueMessage m = got.get(i);
            bytes += (m.key() == null ? 0 : m.key().length) + (m.value() == null ? 0 : m.value().length);
            ages[i] = now - m.timestamp();
        }
        metrics.fetched(topic, got.size(), bytes, ages);
    }

    /**
     * Acknowledges by receipt and writes the acks before answering. A malformed receipt, or one of another queue,
     * fails the whole request (400) and settles nothing; a well-formed receipt whose lease has expired and whose
     * message was delivered again is accepted and has no effect (the message's new holder acks it).
     */
    @POST
    @Path("/ack")
    public Acked ack(@PathParam("topic") String topic, @PathParam("queue") String queue, String body) {
        List<String> receipts = receipts(JsonBodies.read(body, AckRequest.class, null).receipts());
        queues.with(topic, queue, c -> {
            c.ack(receipts);
            c.flush();
            return null;
        });
        return new Acked(receipts.size());
    }

    /** Gives messages back for redelivery, at once or after {@code delayMs}; written before answering. */
    @POST
    @Path("/nack")
    public Nacked nack(@PathParam("topic") String topic, @PathParam("queue") String queue, String body) {
        NackRequest req = JsonBodies.read(body, NackRequest.class, null);
        List<String> receipts = receipts(req.receipts());
        long delayMs = req.delayMs() == null ? 0 : req.delayMs();
        if (delayMs < 0) {
            throw new InvalidRequestException("delayMs must not be negative, not " + delayMs);
        }
        queues.with(topic, queue, c -> {
            c.nack(receipts, Duration.ofMillis(delayMs));
            return null;
        });
        return new Nacked(receipts.size());
    }

    private static List<String> receipts(List<String> receipts) {
        if (receipts == null || receipts.stream().anyMatch(r -> r == null || r.isEmpty())) {
            throw new InvalidRequestException("\"receipts\" must be a list of receipt strings as received");
        }
        return receipts;
    }

    /**
     * Moves the dead letters of this queue's topic back to the topic. The dead-letter topic ({@code {topic}.dlq}) is
     * shared by every queue of the topic, so this redrives the dead letters of all of them; redriven messages are
     * new records of the topic, delivered to every queue that reads it.
     */
    @POST
    @Path("/redrive")
    public Redriven redrive(@PathParam("topic") String topic, @PathParam("queue") String queue) {
        String deadLetters = queues.with(topic, queue, c -> queues.config(queue).deadLetterTopicFor(topic));
        try {
            return new Redriven(runtime.client().admin().redrive(deadLetters, topic));
        } catch (UnknownTopicException e) {
            if (runtime.client().admin().listTopics().contains(deadLetters)) {
                throw e;
            }
            return new Redriven(0); // nothing was ever dead-lettered
        }
    }
}
