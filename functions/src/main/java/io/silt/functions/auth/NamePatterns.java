package io.silt.functions.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of names a grant covers: {@code *} (every name), {@code prefix*} (names starting with the prefix) or exact
 * names. Empty covers nothing.
 */
public record NamePatterns(List<String> patterns) {
    public static final NamePatterns NONE = new NamePatterns(List.of());

    public NamePatterns {
        patterns = List.copyOf(patterns);
    }

    /** Parses {@code "orders,logs-*"}; blanks are skipped. */
    public static NamePatterns parse(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String p : commaSeparated.split(",")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return new NamePatterns(out);
    }

    public boolean covers(String name) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(name)
                    || (p.endsWith("*") && name.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }
}
