package io.silt.functions.auth;

/** What a key may do: to a topic (produce, consume, admin) or, for consumer groups, consume. */
public enum Permission {
    PRODUCE, CONSUME, ADMIN;

    /** The word used in configuration and messages. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
