package io.silt.storage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The random faults a {@link FaultInjectingObjectStore} injects into one kind of operation.
 *
 * @param errorRate the chance (0 to 1) that a request fails with a {@link StoreUnavailableException} before it
 *     reaches the delegate
 * @param errorReasons the reasons such failures carry, picked uniformly; not empty
 * @param lostResponseRate for writes only: the chance (0 to 1) that the delegate performs the write and the response
 *     is then lost ({@code putIfAbsent} returns {@link CreateResult.Unknown}, other writes throw an I/O
 *     {@link StoreUnavailableException}); ignored for reads
 * @param minLatency the least latency added before each request
 * @param maxLatency the most latency added before each request; drawn uniformly between the two
 */
public record FaultInjectingPolicy(double errorRate, List<StoreUnavailableException.Reason> errorReasons,
        double lostResponseRate, Duration minLatency, Duration maxLatency) {

    /** No faults and no latency. */
    public static final FaultInjectingPolicy NONE = new FaultInjectingPolicy(0, List.of(
            StoreUnavailableException.Reason.SERVER_ERROR), 0, Duration.ZERO, Duration.ZERO);

    /** @throws IllegalArgumentException if a rate is outside 0 to 1, no reason is given or the latencies are wrong */
    public FaultInjectingPolicy {
        checkRate("errorRate", errorRate);
        checkRate("lostResponseRate", lostResponseRate);
        errorReasons = List.copyOf(errorReasons);
        if (errorReasons.isEmpty()) {
            throw new IllegalArgumentException("errorReasons must not be empty");
        }
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, was " + minLatency + " to "
                    + maxLatency);
        }
    }

    /** Fails {@code rate} of the requests before they reach the store, with one of {@code reasons}. */
    public FaultInjectingPolicy withErrors(double rate, StoreUnavailableException.Reason... reasons) {
        return new FaultInjectingPolicy(rate, reasons.length == 0 ? errorReasons : List.of(reasons),
                lostResponseRate, minLatency, maxLatency);
    }

    /** Loses the response of {@code rate} of the writes after the store performed them. */
    public FaultInjectingPolicy withLostResponses(double rate) {
        return new FaultInjectingPolicy(errorRate, errorReasons, rate, minLatency, maxLatency);
    }

    /** Adds exactly {@code latency} before each request. */
    public FaultInjectingPolicy withLatency(Duration latency) {
        return withLatency(latency, latency);
    }

    /** Adds a latency drawn uniformly from {@code [min, max]} before each request. */
    public FaultInjectingPolicy withLatency(Duration min, Duration max) {
        return new FaultInjectingPolicy(errorRate, errorReasons, lostResponseRate, min, max);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
        }
    }
}
