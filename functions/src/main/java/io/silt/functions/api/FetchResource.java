package io.silt.functions.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.silt.client.internal.Transport.FetchResult;
import io.silt.client.internal.Transport.Fetched;
import io.silt.client.internal.wire.BatchCodec;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.TopicNames;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The fetch route (RFC 0009, "Fetch"): records from an offset, as JSON or as the binary batch, with long polling
 * ({@code waitMs}, capped at {@code silt.max-wait-ms}) that holds no thread while it waits ({@link LongPolls}).
 */
@Path("/v1/topics")
@Tag(name = "Fetch", description = "Read records")
public class FetchResource {
    static final int DEFAULT_MAX_RECORDS = 500;
    static final long DEFAULT_MAX_BYTES = 1 << 20;
    /** The most records one fetch returns. */
    static final int MAX_RECORDS = 10_000;

    private final SiltMetrics metrics;
    private final ApiLimits limits;
    private final LongPolls polls;
    private final ObjectMapper json;
    private final Clock clock;

    public FetchResource(SiltRuntime runtime, SiltMetrics metrics, ApiLimits limits, LongPolls polls,
                         ObjectMapper json) {
        this.metrics = metrics;
        this.limits = limits;
        this.polls = polls;
        this.json = json;
        this.clock = runtime.transport().clock();
    }

    @GET
    @Path("/{topic}/partitions/{partition}/records")
    @Produces({MediaType.APPLICATION_JSON, BatchCodec.MEDIA_TYPE})
    @Blocking
    @Operation(summary = "Fetch records from an offset",
            description = "Answers {\"records\":[{\"offset\",\"timestamp\",\"key\",\"value\",\"headers\"}],"
                    + "\"startOffset\",\"endOffset\"}; with Accept: application/vnd.silt.batch the binary batch "
                    + "and headers Silt-Start-Offset, Silt-End-Offset. With no records at offset yet, waits up to "
                    + "waitMs for some.")
    @APIResponse(responseCode = "200", description = "Records (possibly none)")
    @APIResponse(responseCode = "400", description = "urn:silt:problem:invalid-request")
    @APIResponse(responseCode = "404", description = "urn:silt:problem:unknown-topic")
    @APIResponse(responseCode = "416", description = "urn:silt:problem:offset-out-of-range")
    @APIResponse(responseCode = "503", description = "urn:silt:problem:store-unavailable")
    public CompletionStage<Response> fetch(
            @PathParam("topic") String topic,
            @PathParam("partition") int partition,
            @Parameter(description = "first offset to read", required = true) @QueryParam("offset") String offset,
            @QueryParam("maxRecords") String maxRecords,
            @QueryParam("maxBytes") String maxBytes,
            @Parameter(description = "how long to wait for records, ms (capped)") @QueryParam("waitMs") String waitMs,
            @Parameter(description = "base64 (default) or utf8") @QueryParam("encoding") String encoding,
            @HeaderParam("Accept") String accept) {
        TopicNames.validate("topic", topic);
        if (offset == null) {
            throw ApiErrors.invalid("the query parameter offset is required");
        }
        long from = number("offset", offset, 0, Long.MAX_VALUE);
        int max = (int) (maxRecords == null ? DEFAULT_MAX_RECORDS : number("maxRecords", maxRecords, 1, MAX_RECORDS));
        long bytes = maxBytes == null ? DEFAULT_MAX_BYTES : number("maxBytes", maxBytes, 1, Long.MAX_VALUE);
        long wait = waitMs == null ? 0 : Math.min(number("waitMs", waitMs, 0, Long.MAX_VALUE), limits.maxWaitMs());
        RecordsJson.Encoding enc = RecordsJson.Encoding.of(encoding);
        boolean binary = accept != null && accept.contains(BatchCodec.MEDIA_TYPE);
        return polls.fetch(topic, partition, from, max, bytes, Duration.ofMillis(wait))
                .thenApply(r -> answer(topic, r, enc, binary));
    }

    private Response answer(String topic, FetchResult r, RecordsJson.Encoding enc, boolean binary) {
        long now = clock.millis();
        long[] ages = new long[r.records().size()];
        long bytes = 0;
        for (int i = 0; i < ages.length; i++) {
            Fetched f = r.records().get(i);
            ages[i] = now - f.record().timestamp();
            bytes += RecordsJson.bytes(f.record());
        }
        metrics.fetched(topic, ages.length, bytes, ages);
        if (binary) {
            return Response.ok(BatchCodec.encodeFetched(r.records()), BatchCodec.MEDIA_TYPE)
                    .header("Silt-Start-Offset", r.startOffset()).header("Silt-End-Offset", r.endOffset()).build();
        }
        ObjectNode out = json.createObjectNode();
        out.set("records", RecordsJson.fetched(json, r.records(), enc));
        out.put("startOffset", r.startOffset());
        out.put("endOffset", r.endOffset());
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    /** A query parameter as a number in {@code [min, max]}, or a 400 problem. */
    static long number(String name, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiErrors.invalid(name + " must be a whole number, was '" + value + "'");
        }
        if (n < min || n > max) {
            throw ApiErrors.invalid(name + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }
}
