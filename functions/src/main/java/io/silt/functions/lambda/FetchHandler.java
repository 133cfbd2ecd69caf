package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.silt.client.InvalidRequestException;
import io.silt.client.internal.Transport;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fetch as a Lambda function ({@code QUARKUS_LAMBDA_HANDLER=fetch}). The event:
 * <pre>{"topic":"orders","partition":0,"offset":0,"maxRecords":500,"maxBytes":1048576,"waitMs":0,
 *  "encoding":"base64"}</pre>
 * answered like the REST fetch: {@code {"records":[{"offset":..,"timestamp":..,"key":..,"value":..,"headers":{..}}],
 * "startOffset":..,"endOffset":..}}. With nothing at {@code offset} yet it waits up to {@code waitMs} (long poll),
 * but never longer than {@code silt.max-wait-ms} nor past the invocation's remaining time less
 * {@code silt.lambda.reserve-ms}, so the answer always arrives before Lambda's timeout.
 */
@Named("fetch")
public class FetchHandler implements RequestHandler<FetchHandler.FetchEvent, FetchHandler.FetchAnswer> {

    /** The event; absent numbers take the REST defaults. */
    public record FetchEvent(String topic, Integer partition, Long offset, Integer maxRecords, Long maxBytes,
                             Long waitMs, String encoding) {}

    /** One record; key, value and header values in the requested encoding. */
    public record Item(long offset, long timestamp, String key, String value, Map<String, String> headers) {}

    /** The answer. */
    public record FetchAnswer(List<Item> records, long startOffset, long endOffset) {}

    private final SiltRuntime silt;
    private final SiltMetrics metrics;
    private final long maxWaitMillis;
    private final long reserveMillis;

    public FetchHandler(SiltRuntime silt, SiltMetrics metrics,
                        @ConfigProperty(name = "silt.max-wait-ms", defaultValue = "20000") long maxWaitMillis,
                        @ConfigProperty(name = "silt.lambda.reserve-ms", defaultValue = "1000") long reserveMillis) {
        this.silt = silt;
        this.metrics = metrics;
        this.maxWaitMillis = maxWaitMillis;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public FetchAnswer handleRequest(FetchEvent event, Context context) {
        if (event == null || event.topic() == null || event.partition() == null || event.offset() == null) {
            throw new InvalidRequestException("the event needs topic, partition and offset: "
                    + "{\"topic\":..,\"partition\":0,\"offset\":0}");
        }
        int maxRecords = event.maxRecords() == null ? 500 : event.maxRecords();
        long maxBytes = event.maxBytes() == null ? 1 << 20 : event.maxBytes();
        if (maxRecords < 1 || maxBytes < 1) {
            throw new InvalidRequestException("maxRecords and maxBytes must be positive");
        }
        long wait = Math.min(event.waitMs() == null ? 0 : Math.max(0, event.waitMs()), waitBound(context));
        EventRecords.Encoding encoding = EventRecords.Encoding.of(event.encoding());
        Transport.FetchResult r = silt.transport().fetch(event.topic(), event.partition(), event.offset(),
                maxRecords, maxBytes, Duration.ofMillis(wait));
        long now = silt.transport().clock().millis();
        List<Item> items = new ArrayList<>(r.records().size());
        long[] ages = new long[r.records().size()];
        long bytes = 0;
        for (Transport.Fetched f : r.records()) {
            ages[items.size()] = now - f.record().timestamp();
            bytes += EventRecords.size(f.record());
            items.add(new Item(f.offset(), f.record().timestamp(), encoding.encode(f.record().key()),
                    encoding.encode(f.record().value()), EventRecords.headers(encoding, f.record().headers())));
        }
        metrics.fetched(event.topic(), items.size(), bytes, ages);
        return new FetchAnswer(items, r.startOffset(), r.endOffset());
    }

    /** The longest this invocation may wait for records. */
    long waitBound(Context context) {
        return Math.min(maxWaitMillis, Deadlines.budgetMillis(context, reserveMillis));
    }
}
