package io.silt.storage.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small text helpers shared by the conformance checks. */
public final class Conformance {
    private static final int MAX_SHOWN = 40;

    private Conformance() {}

    /** An exception as one line: its simple class name and message (or its cause's, if it has none). */
    public static String describe(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s+", " ").strip();
        return t.getClass().getSimpleName() + msg;
    }

    /** Bytes as a short quoted string for a detail message, e.g. {@code '234'} or {@code '0123…' (62 bytes)}. */
    public static String show(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        if (s.length() <= MAX_SHOWN) {
            return "'" + s + "'";
        }
        return "'" + s.substring(0, MAX_SHOWN) + "…' (" + bytes.length + " bytes)";
    }

    /**
     * Joins per-round problems into one line: {@code 2 of 20 rounds failed: round 7: 3 writers won; round 9: ...},
     * listing at most five.
     */
    public static String summariseRounds(List<String> problems, int rounds) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size()).append(" of ").append(rounds).append(" rounds failed: ");
        int shown = Math.min(5, problems.size());
        sb.append(String.join("; ", problems.subList(0, shown)));
        if (problems.size() > shown) {
            sb.append("; and ").append(problems.size() - shown).append(" more");
        }
        return sb.toString();
    }

    /** Writer numbers for a detail: {@code [0, 6]}, or {@code [0, 1, 2, 3, ...]} when there are many. */
    public static String ids(List<Integer> ids) {
        if (ids.size() <= 4) {
            return ids.toString();
        }
        return ids.subList(0, 4).toString().replace("]", ", ...]");
    }

    /** A duration for a detail: {@code 60 s}, {@code 1.5 s}. */
    public static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** "1 outcome was" / "3 outcomes were". */
    public static String outcomes(int n) {
        return n + (n == 1 ? " outcome was" : " outcomes were");
    }

    /** "1 writer" / "3 writers". */
    public static String writers(int n) {
        return n + (n == 1 ? " writer" : " writers");
    }
}
