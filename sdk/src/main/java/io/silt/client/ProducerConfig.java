package io.silt.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Producer settings: {@link #defaults()} and the {@code with…} methods, or {@link #fromProperties(Properties)} /
 * {@link #fromEnvironment(Map)} with Kafka-like names.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>property</th><th>component</th><th>default</th></tr>
 * <tr><td>{@code linger.ms}</td><td>{@link #linger()}</td><td>10</td></tr>
 * <tr><td>{@code batch.size}</td><td>{@link #batchBytes()}</td><td>1048576 (1 MiB)</td></tr>
 * <tr><td>{@code buffer.memory}</td><td>{@link #bufferBytes()}</td><td>67108864 (64 MiB)</td></tr>
 * <tr><td>{@code max.block.ms}</td><td>{@link #maxBlock()}</td><td>60000</td></tr>
 * <tr><td>{@code delivery.timeout.ms}</td><td>{@link #deliveryTimeout()}</td><td>120000</td></tr>
 * <tr><td>{@code max.request.size}</td><td>{@link #maxRecordBytes()}</td><td>1048576 (1 MiB)</td></tr>
 * <tr><td>{@code enable.idempotence}</td><td>{@link #idempotent()}</td><td>true</td></tr>
 * <tr><td>{@code compression} (or {@code compression.type})</td><td>{@link #compression()}</td>
 *     <td>lz4 ({@code lz4}/{@code true} or {@code none}/{@code false})</td></tr>
 * </table>
 *
 * <p>Sizes count a record's key, value and header bytes plus a few dozen bytes of framing.
 *
 * @param linger how long a batch waits for more records before it is sent (default 10 ms); 0 sends at once (while
 *     a batch is in flight, new records still gather into the next one). Never a timer when idle: a producer with
 *     nothing to send makes no requests
 * @param batchBytes a batch is sent once it holds this much (default 1 MiB)
 * @param bufferBytes records waiting to be acknowledged may use this much memory (default 64 MiB)
 * @param maxBlock how long {@code send} blocks when the buffer is full before it fails with
 *     {@link BufferExhaustedException} (default 60 s)
 * @param deliveryTimeout how long after a batch's first record the producer keeps retrying it before its futures
 *     fail (default 120 s)
 * @param maxRecordBytes the largest record accepted (default 1 MiB, as Kafka's {@code max.request.size}; at most
 *     {@value #MAX_RECORD_BYTES_LIMIT})
 * @param idempotent whether retried batches are recognised and appended once (default true); without it a retry
 *     after an unknown outcome may append a batch twice
 * @param compression whether batches are LZ4-compressed (default true)
 */
public record ProducerConfig(Duration linger, int batchBytes, long bufferBytes, Duration maxBlock,
                             Duration deliveryTimeout, int maxRecordBytes, boolean idempotent, boolean compression) {
    /** The largest {@link #maxRecordBytes()} allowed: a stored batch holds at most 8 MiB. */
    public static final int MAX_RECORD_BYTES_LIMIT = 8 << 20;
    /** The prefix of {@link #fromEnvironment(Map)}'s variables, e.g. {@code SILT_PRODUCER_LINGER_MS}. */
    public static final String ENV_PREFIX = "SILT_PRODUCER_";
    private static final List<String> NAMES = List.of("linger.ms", "batch.size", "buffer.memory", "max.block.ms",
            "delivery.timeout.ms", "max.request.size", "enable.idempotence", "compression", "compression.type");

    public static ProducerConfig defaults() {
        return new ProducerConfig(Duration.ofMillis(10), 1 << 20, 64L << 20, Duration.ofSeconds(60),
                Duration.ofSeconds(120), 1 << 20, true, true);
    }

    public ProducerConfig {
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(maxBlock, "maxBlock");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        require(!linger.isNegative(), "linger.ms must be >= 0, was " + linger.toMillis());
        require(batchBytes >= 1, "batch.size must be >= 1, was " + batchBytes);
        require(bufferBytes >= batchBytes, "buffer.memory (" + bufferBytes + ") must be at least batch.size ("
                + batchBytes + ")");
        require(!maxBlock.isNegative(), "max.block.ms must be >= 0, was " + maxBlock.toMillis());
        require(!deliveryTimeout.isNegative() && !deliveryTimeout.isZero(),
                "delivery.timeout.ms must be > 0, was " + deliveryTimeout.toMillis());
        require(maxRecordBytes >= 1 && maxRecordBytes <= MAX_RECORD_BYTES_LIMIT,
                "max.request.size must be 1 to " + MAX_RECORD_BYTES_LIMIT + ", was " + maxRecordBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidRequestException("invalid producer config: " + message);
        }
    }

    /**
     * The defaults, overridden by the properties named in the table above; other properties are ignored (so one
     * file can configure several components).
     *
     * @throws InvalidRequestException if a value is not a number (or boolean) or is out of range; the message names
     *     the property
     */
    public static ProducerConfig fromProperties(Properties props) {
        Map<String, String> m = new HashMap<>();
        for (String name : NAMES) {
            String v = props.getProperty(name);
            if (v != null) {
                m.put(name, v.trim());
            }
        }
        return fromMap(m);
    }

    /**
     * The defaults, overridden by environment variables named after the properties: {@value #ENV_PREFIX} followed by
     * the property in upper case with dots as underscores, e.g. {@code SILT_PRODUCER_LINGER_MS=5}.
     */
    public static ProducerConfig fromEnvironment(Map<String, String> env) {
        Map<String, String> m = new HashMap<>();
        for (String name : NAMES) {
            String v = env.get(ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (v != null && !v.isBlank()) {
                m.put(name, v.trim());
            }
        }
        return fromMap(m);
    }

    private static ProducerConfig fromMap(Map<String, String> m) {
        ProducerConfig d = defaults();
        String compression = m.getOrDefault("compression", m.get("compression.type"));
        return new ProducerConfig(
                Duration.ofMillis(number(m, "linger.ms", d.linger.toMillis())),
                (int) number(m, "batch.size", d.batchBytes),
                number(m, "buffer.memory", d.bufferBytes),
                Duration.ofMillis(number(m, "max.block.ms", d.maxBlock.toMillis())),
                Duration.ofMillis(number(m, "delivery.timeout.ms", d.deliveryTimeout.toMillis())),
                (int) number(m, "max.request.size", d.maxRecordBytes),
                bool(m.get("enable.idempotence"), "enable.idempotence", d.idempotent),
                compression == null ? d.compression : switch (compression.toLowerCase(Locale.ROOT)) {
                    case "lz4", "true" -> true;
                    case "none", "false" -> false;
                    default -> throw new InvalidRequestException("invalid producer config: compression must be lz4 "
                            + "or none, was '" + compression + "'");
                });
    }

    private static long number(Map<String, String> m, String name, long fallback) {
        String v = m.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (!name.equals("buffer.memory") && (n > Integer.MAX_VALUE) && !name.endsWith(".ms")) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("invalid producer config: " + name + " must be a whole number"
                    + (name.endsWith(".ms") ? " of milliseconds" : " of bytes") + " in range, was '" + v + "'");
        }
    }

    private static boolean bool(String v, String name, boolean fallback) {
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidRequestException("invalid producer config: " + name
                    + " must be true or false, was '" + v + "'");
        };
    }

    public ProducerConfig withLinger(Duration d) {
        return new ProducerConfig(d, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withBatchBytes(int b) {
        return new ProducerConfig(linger, b, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withBufferBytes(long b) {
        return new ProducerConfig(linger, batchBytes, b, maxBlock, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withMaxBlock(Duration d) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, d, deliveryTimeout, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withDeliveryTimeout(Duration d) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, d, maxRecordBytes, idempotent,
                compression);
    }

    public ProducerConfig withMaxRecordBytes(int b) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, b, idempotent,
                compression);
    }

    public ProducerConfig withIdempotent(boolean on) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes, on,
                compression);
    }

    public ProducerConfig withCompression(boolean on) {
        return new ProducerConfig(linger, batchBytes, bufferBytes, maxBlock, deliveryTimeout, maxRecordBytes,
                idempotent, on);
    }
}
