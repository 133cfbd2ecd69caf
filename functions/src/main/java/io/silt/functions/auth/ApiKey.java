package io.silt.functions.auth;

import java.util.Map;

/**
 * A configured key: its name (shown in logs and 403 answers; never the secret), the SHA-256 of its secret, and its
 * grants: topic patterns per permission, and the consumer groups it may use.
 */
public record ApiKey(String name, byte[] secretHash, Map<Permission, NamePatterns> topics, NamePatterns groups) {
    public ApiKey {
        topics = Map.copyOf(topics);
        secretHash = secretHash.clone();
    }

    /** Whether this key may do {@code permission} to {@code resource}; groups know only {@code CONSUME}. */
    public boolean allows(Permission permission, Resource resource) {
        if (resource.kind() == Resource.Kind.GROUP) {
            return permission == Permission.CONSUME && groups.covers(resource.name());
        }
        return topics.getOrDefault(permission, NamePatterns.NONE).covers(resource.name());
    }

    /** Whether this key may do anything at all to {@code topic} (to describe it). */
    public boolean allowsAny(Resource topic) {
        for (Permission p : Permission.values()) {
            if (allows(p, topic)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
