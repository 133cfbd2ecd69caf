package io.silt.storage.internal;

import java.util.Optional;

/** Parses HTTP {@code Content-Range} headers. Not API. */
public final class S3Ranges {
    private S3Ranges() {}

    /**
     * A parsed {@code Content-Range: bytes first-last/total}.
     *
     * @param first the first byte's offset
     * @param last the last byte's offset (inclusive)
     * @param total the whole object's size, or -1 if the server sent {@code *}
     */
    public record ContentRange(long first, long last, long total) {}

    /**
     * Parses {@code bytes 0-9/100}, {@code bytes 0-9/*}; returns empty for a missing or unparseable header and for
     * {@code bytes *}{@code /100} (the form of a 416 answer).
     */
    public static Optional<ContentRange> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes ", 0, 6)) {
            return Optional.empty();
        }
        h = h.substring(6).trim();
        int slash = h.indexOf('/');
        int dash = h.indexOf('-');
        if (slash < 0 || dash < 0 || dash > slash) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(h.substring(0, dash).trim());
            long last = Long.parseLong(h.substring(dash + 1, slash).trim());
            String totalText = h.substring(slash + 1).trim();
            long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
            if (first < 0 || last < first || (total >= 0 && last >= total)) {
                return Optional.empty();
            }
            return Optional.of(new ContentRange(first, last, total));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
