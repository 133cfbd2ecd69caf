package io.silt.bench.workload;

import io.silt.bench.Result;
import io.silt.storage.CostModel;
import io.silt.storage.RequestCounts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import org.HdrHistogram.Histogram;

/**
 * What one workload run measured.
 *
 * @param spec the workload
 * @param records records acknowledged in the measured window (all producers)
 * @param bytes their value bytes
 * @param seconds the window's length
 * @param failed sends that failed (should be 0)
 * @param sent records sent in all, warm-up included
 * @param consumed records the consumers received in all
 * @param produceRequests the producers' requests in the window, by kind
 * @param consumeRequests the consumers' requests in the window (fetches, probes, group heartbeats, offset commits)
 * @param acks send-to-acknowledgement times of the records sent in the window, microseconds
 * @param endToEnd consumer receive time minus record timestamp of the records stamped in the window, milliseconds
 *     (empty without consumers)
 */
public record WorkloadResult(WorkloadSpec spec, long records, long bytes, double seconds, long failed, long sent,
                             long consumed, RequestCounts produceRequests, RequestCounts consumeRequests,
                             Histogram acks, Histogram endToEnd) {
    /**
     * S3 Express One Zone request prices, US East (N. Virginia), from https://aws.amazon.com/s3/pricing/ (as recorded
     * in ANCHORS.md): PUT (and LIST) $0.00113, GET (and HEAD) $0.00003 per 1,000. Its per-GB upload and retrieval
     * fees are not included: this prices requests only.
     */
    public static final CostModel S3_EXPRESS_ONE_ZONE = new CostModel(0.00113, 0.00003, 0.0);

    /** The percentiles reported for each latency. */
    public static final List<Double> PERCENTILES = List.of(50.0, 90.0, 99.0, 99.9, 100.0);

    /**
     * A target on one of {@link #metrics()}.
     *
     * @param metric the metric's name in {@link #metrics()}
     * @param text how the report states it, e.g. {@code <= 300}
     * @param met whether a value meets it
     */
    public record Target(String metric, String text, DoublePredicate met) {}

    /** Records per second acknowledged. */
    public double recordsPerSecond() {
        return seconds == 0 ? 0 : records / seconds;
    }

    /** Value bytes per second acknowledged, in MB (10^6). */
    public double megabytesPerSecond() {
        return seconds == 0 ? 0 : bytes / seconds / 1e6;
    }

    /** Producers' and consumers' requests together. */
    public RequestCounts requests() {
        return produceRequests.plus(consumeRequests);
    }

    /** The requests' price per GB (10^9 bytes of values) produced and consumed once, at {@code prices}. */
    public double dollarsPerGb(CostModel prices) {
        return bytes == 0 ? 0 : prices.cost(requests()) / (bytes / 1e9);
    }

    /** A percentile of the acknowledgement time in milliseconds ({@code 100} = the maximum). */
    public double ackMillis(double percentile) {
        return acks.getTotalCount() == 0 ? 0 : acks.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A percentile of the end-to-end latency in milliseconds ({@code 100} = the maximum); 0 without consumers. */
    public double endToEndMillis(double percentile) {
        return endToEnd.getTotalCount() == 0 ? 0 : endToEnd.getValueAtPercentile(percentile);
    }

    /** Every number, by name, in report order. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("records/s", recordsPerSecond());
        m.put("MB/s", megabytesPerSecond());
        for (double p : PERCENTILES) {
            m.put("ack " + label(p) + " ms", ackMillis(p));
        }
        if (spec.consumers() > 0) {
            for (double p : PERCENTILES) {
                m.put("e2e " + label(p) + " ms", endToEndMillis(p));
            }
        }
        RequestCounts r = requests();
        m.put("PUT", (double) r.puts());
        m.put("GET", (double) r.gets());
        m.put("GET 404", (double) r.getsNotFound());
        m.put("GET 304", (double) r.getsNotModified());
        m.put("HEAD", (double) r.heads());
        m.put("LIST", (double) r.lists());
        m.put("DELETE", (double) r.deletes());
        m.put("consumer requests", (double) consumeRequests.total());
        double gb = bytes / 1e9;
        m.put("PUTs per GB", gb == 0 ? 0 : r.puts() / gb);
        m.put("$/GB S3 Standard", dollarsPerGb(CostModel.S3_STANDARD));
        m.put("$/GB S3 Express One Zone (requests)", dollarsPerGb(S3_EXPRESS_ONE_ZONE));
        m.put("sends failed", (double) failed);
        return m;
    }

    /** {@code p50}, {@code p99.9}, {@code max}. */
    static String label(double percentile) {
        if (percentile >= 100) {
            return "max";
        }
        return percentile == Math.rint(percentile) ? "p" + (int) percentile : "p" + percentile;
    }

    /** Adds every metric to {@code out} as rows of {@code benchmark}, with the targets that apply to them. */
    public void report(Result.Builder out, String benchmark, int run, String configuration, List<Target> targets) {
        metrics().forEach((metric, value) -> {
            Optional<Target> t = targets.stream().filter(x -> x.metric().equals(metric)).findFirst();
            if (t.isPresent()) {
                out.add(benchmark, run, configuration, metric, value, t.get().text(), t.get().met().test(value));
            } else {
                out.add(benchmark, run, configuration, metric, value);
            }
        });
    }
}
