package io.silt.storage.log;

import java.time.Instant;

/**
 * A live topic as stored.
 *
 * @param name the topic's name
 * @param incarnation a random id chosen when the topic was created; part of every data key, so a topic deleted and
 *     created again never sees the old one's objects
 * @param version the number of the topic record this was read from
 * @param createdAt when this incarnation was created
 */
public record TopicDescription(String name, String incarnation, TopicConfig config, long version, Instant createdAt) {
    /** The key prefix of a partition's objects, relative to the store root. */
    public String partitionPrefix(int partition) {
        if (partition < 0 || partition >= config.partitions()) {
            throw new IllegalArgumentException("topic '" + name + "' has partitions 0.." + (config.partitions() - 1)
                    + "; there is no partition " + partition);
        }
        return "data/" + name + "/" + incarnation + "/" + String.format("%05d", partition) + "/";
    }
}
