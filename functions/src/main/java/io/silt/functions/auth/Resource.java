package io.silt.functions.auth;

/** What a permission is about: a topic or a consumer group, by name. */
public record Resource(Kind kind, String name) {
    /** Topics and groups have separate name spaces. */
    public enum Kind { TOPIC, GROUP }

    public static Resource topic(String name) {
        return new Resource(Kind.TOPIC, name);
    }

    public static Resource group(String name) {
        return new Resource(Kind.GROUP, name);
    }

    @Override
    public String toString() {
        return (kind == Kind.TOPIC ? "topic '" : "group '") + name + "'";
    }
}
