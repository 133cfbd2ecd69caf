package io.silt.storage.log;

import java.time.Duration;

/**
 * Settings of the partition log machinery, with the defaults Silt uses.
 *
 * @param inlineThreshold batches up to this many bytes travel inside the commit record instead of as their own
 *     segment object (saves a PUT and a round trip for small batches)
 * @param maxLostRaces how many commit races in a row a committer may lose before it gives up (bounded retries for
 *     short-lived writers, DESIGN rule 3); the batches then fail with a retriable error
 * @param unknownRetries how often a commit whose outcome is unknown is repeated at the same number
 * @param gcGrace the GC grace period: how long a GC boundary must be durable before objects behind it are deleted;
 *     segments older than half of it are uploaded again rather than committed (DESIGN rule 8)
 */
public record LogConfig(int inlineThreshold, int maxLostRaces, int unknownRetries, Duration gcGrace) {
    public static final LogConfig DEFAULTS = new LogConfig(64 * 1024, 1_000, 5, Duration.ofMinutes(30));

    public LogConfig {
        if (inlineThreshold < 0 || maxLostRaces < 1 || unknownRetries < 0 || gcGrace.isNegative()) {
            throw new IllegalArgumentException("invalid log config");
        }
    }

    public LogConfig withInlineThreshold(int bytes) {
        return new LogConfig(bytes, maxLostRaces, unknownRetries, gcGrace);
    }

    public LogConfig withMaxLostRaces(int n) {
        return new LogConfig(inlineThreshold, n, unknownRetries, gcGrace);
    }

    public LogConfig withGcGrace(Duration grace) {
        return new LogConfig(inlineThreshold, maxLostRaces, unknownRetries, grace);
    }
}
