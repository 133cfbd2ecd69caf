package io.silt.functions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.silt.client.TopicInfo;
import io.silt.client.UnknownTopicException;
import io.silt.client.internal.AdminImpl;
import io.silt.client.internal.Transport;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.TopicNames;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Topic administration (RFC 0009, "Topics"). The description carries the brief's four figures: production and
 * consumption rates over the last minute and the lag come from the bucket through the Admin API (so they count
 * every producer and group, not only this instance), end-to-end latency p50/p99 from this service's fetches.
 */
@Path("/v1/topics")
@Tag(name = "Topics", description = "Create, describe, alter, purge and delete topics")
@Blocking
public class TopicsResource {
    private final SiltRuntime runtime;
    private final Transport transport;
    private final SiltMetrics metrics;
    private final ObjectMapper json;
    private final long describeCacheNanos;
    /** Recent descriptions: the page at / and dashboards poll, and a description lists and loads every group. */
    private final Map<String, Described> described = new ConcurrentHashMap<>();

    private record Described(TopicInfo info, long atNanos) {}

    public TopicsResource(SiltRuntime runtime, SiltMetrics metrics, ObjectMapper json,
                          @ConfigProperty(name = "silt.describe-cache-ms", defaultValue = "2000") long describeCacheMs) {
        this.runtime = runtime;
        this.transport = runtime.transport();
        this.metrics = metrics;
        this.json = json;
        this.describeCacheNanos = TimeUnit.MILLISECONDS.toNanos(describeCacheMs);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a topic",
            description = "{\"name\",\"partitions\",\"retentionMs\",\"retentionBytes\"}: retentionMs absent means 7 "
                    + "days, null or -1 forever; retentionBytes (per partition) absent or null means no limit. "
                    + "201 when created, 200 when it existed with the same settings.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Existed with the same settings")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "409", description = "urn:silt:problem:topic-exists (other settings)")
    @APIResponse(responseCode = "415", description = "urn:silt:problem:unsupported-media-type")
    public Response create(byte[] body) {
        JsonNode b = RecordsJson.parse(json, body);
        JsonNode nameNode = b.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw ApiErrors.invalid("\"name\" must be a string");
        }
        String name = TopicNames.validate("topic", nameNode.textValue());
        JsonNode p = b.get("partitions");
        int partitions = 1;
        if (p != null && !p.isNull()) {
            if (!p.canConvertToInt() || !p.isIntegralNumber()) {
                throw ApiErrors.invalid("\"partitions\" must be a whole number");
            }
            partitions = p.asInt();
        }
        Optional<Duration> retention = b.has("retentionMs")
                ? retentionTime(b.get("retentionMs")) : Optional.of(Duration.ofDays(7));
        Optional<Long> bytes = retentionBytes(b.get("retentionBytes"));
        boolean existed = transport.listTopics().contains(name);
        transport.createTopic(name, partitions, retention, bytes);
        return Response.status(existed ? 200 : 201).type(MediaType.APPLICATION_JSON).entity(describe(name)).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List topics", description = "{\"topics\":[names]}")
    @APIResponse(responseCode = "200", description = "The topics")
    public ObjectNode list() {
        ObjectNode out = json.createObjectNode();
        ArrayNode names = out.putArray("topics");
        transport.listTopics().forEach(names::add);
        return out;
    }

    @GET
    @Path("/{topic}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a topic",
            description = "Settings, per partition start and end offsets and bytes, and the four figures: "
                    + "productionRate and consumptionRate (records/s over the last minute), lag (end minus the "
                    + "slowest group's committed offset, summed over partitions), latencyMs {p50,p99} end to end "
                    + "as seen by this service's fetches (null before any).")
    @APIResponse(responseCode = "200", description = "The topic")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    public ObjectNode get(@PathParam("topic") String topic) {
        TopicNames.validate("topic", topic);
        return describe(topic);
    }

    @PATCH
    @Path("/{topic}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Alter a topic's retention",
            description = "{\"retentionMs\",\"retentionBytes\"}: an absent field is kept, null removes the limit.")
    @APIResponse(responseCode = "200", description = "The topic")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    public ObjectNode alter(@PathParam("topic") String topic, byte[] body) {
        TopicNames.validate("topic", topic);
        JsonNode b = RecordsJson.parse(json, body);
        transport.forget(topic);
        Transport.TopicMeta current = transport.topic(topic);
        Optional<Duration> retention = b.has("retentionMs") ? retentionTime(b.get("retentionMs"))
                : current.retentionTime();
        Optional<Long> bytes = b.has("retentionBytes") ? retentionBytes(b.get("retentionBytes"))
                : current.retentionBytes();
        transport.alterRetention(topic, retention, bytes);
        described.remove(topic);
        return describe(topic);
    }

    @DELETE
    @Path("/{topic}")
    @Operation(summary = "Delete a topic")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    public Response delete(@PathParam("topic") String topic) {
        TopicNames.validate("topic", topic);
        described.remove(topic);
        if (!transport.deleteTopic(topic)) {
            throw new UnknownTopicException("topic '" + topic + "' does not exist");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{topic}/purge")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remove every record before the current end",
            description = "{\"partitions\":[{\"partition\",\"startOffset\"}]}")
    @APIResponse(responseCode = "200", description = "The new start offsets")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    @APIResponse(responseCode = "503", description = "urn:silt:problem:store-unavailable (retry)")
    public ObjectNode purge(@PathParam("topic") String topic) {
        TopicNames.validate("topic", topic);
        transport.purge(topic);
        described.remove(topic);
        ObjectNode out = json.createObjectNode();
        ArrayNode parts = out.putArray("partitions");
        for (TopicInfo.PartitionInfo p : transport.describe(topic, AdminImpl.STATS_WINDOW).partitions()) {
            parts.addObject().put("partition", p.partition()).put("startOffset", p.startOffset());
        }
        return out;
    }

    @GET
    @Path("/{topic}/partitions/{partition}/offsets")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A partition's offsets",
            description = "{\"startOffset\",\"endOffset\"}; with ?timestamp=ms {\"offset\"}: the first record at or "
                    + "after it, or the end")
    @APIResponse(responseCode = "200", description = "The offsets")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    public ObjectNode offsets(@PathParam("topic") String topic, @PathParam("partition") int partition,
                              @QueryParam("timestamp") String timestamp) {
        TopicNames.validate("topic", topic);
        ObjectNode out = json.createObjectNode();
        if (timestamp != null) {
            long t = FetchResource.number("timestamp", timestamp, 0, Long.MAX_VALUE);
            out.put("offset", transport.offsetForTimestamp(topic, partition, t));
        } else {
            long[] o = transport.offsets(topic, partition);
            out.put("startOffset", o[0]).put("endOffset", o[1]);
        }
        return out;
    }

    /** The topic's description, at most {@code silt.describe-cache-ms} old (however many clients poll it). */
    private TopicInfo describeCached(String name) {
        long now = System.nanoTime();
        Described d = described.get(name);
        if (d != null && now - d.atNanos() < describeCacheNanos) {
            return d.info();
        }
        TopicInfo t = runtime.client().admin().describeTopic(name);
        if (describeCacheNanos > 0) {
            described.put(name, new Described(t, now));
        }
        return t;
    }

    private ObjectNode describe(String name) {
        TopicInfo t = describeCached(name);
        ObjectNode out = json.createObjectNode();
        out.put("name", t.name());
        out.put("incarnation", transport.topic(name).incarnation());
        out.put("partitions", t.partitions());
        out.put("retentionMs", t.retentionTime().map(Duration::toMillis).orElse(null));
        out.put("retentionBytes", t.retentionBytes().orElse(null));
        ArrayNode parts = out.putArray("partitionInfo");
        for (TopicInfo.PartitionInfo p : t.partitionInfo()) {
            parts.addObject().put("partition", p.partition()).put("startOffset", p.startOffset())
                    .put("endOffset", p.endOffset()).put("bytes", p.bytes());
        }
        out.put("productionRate", t.stats().produceRecordsPerSecond());
        out.put("consumptionRate", t.stats().consumeRecordsPerSecond());
        out.put("lag", t.stats().lagRecords());
        out.put("lagBytes", t.stats().lagBytes());
        ObjectNode latency = out.putObject("latencyMs");
        DistributionSummary e2e = metrics.registry().find("silt.end.to.end.latency").tag("topic", name).summary();
        latency.put("p50", e2e == null ? null : percentile(e2e.takeSnapshot(), 0.5));
        latency.put("p99", e2e == null ? null : percentile(e2e.takeSnapshot(), 0.99));
        out.put("committedLatencyMs", t.stats().endToEndLatencyMillis() < 0 ? null
                : t.stats().endToEndLatencyMillis());
        return out;
    }

    /** The upper bound of the histogram bucket holding quantile {@code q}, or {@code null} without samples. */
    static Double percentile(HistogramSnapshot s, double q) {
        if (s.count() == 0) {
            return null;
        }
        double rank = q * s.count();
        for (CountAtBucket b : s.histogramCounts()) {
            if (b.count() >= rank) {
                return Math.min(b.bucket(), s.max());
            }
        }
        return s.max();
    }

    private static Optional<Duration> retentionTime(JsonNode n) {
        if (n == null || n.isNull() || (n.canConvertToLong() && n.asLong() == -1)) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || n.asLong() <= 0) {
            throw ApiErrors.invalid("\"retentionMs\" must be a positive number of milliseconds, or null/-1 for ever");
        }
        return Optional.of(Duration.ofMillis(n.asLong()));
    }

    private static Optional<Long> retentionBytes(JsonNode n) {
        if (n == null || n.isNull() || (n.canConvertToLong() && n.asLong() == -1)) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || n.asLong() <= 0) {
            throw ApiErrors.invalid("\"retentionBytes\" must be a positive number of bytes, or null/-1 for no limit");
        }
        return Optional.of(n.asLong());
    }
}
