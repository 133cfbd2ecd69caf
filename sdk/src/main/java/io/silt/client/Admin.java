package io.silt.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Topic and group administration. Thread-safe. */
public interface Admin {

    /** Creates a topic; creating an existing one with the same settings is not an error. */
    TopicInfo createTopic(String name, int partitions, Optional<Duration> retentionTime, Optional<Long> retentionBytes);

    default TopicInfo createTopic(String name, int partitions) {
        return createTopic(name, partitions, Optional.of(Duration.ofDays(7)), Optional.empty());
    }

    /** @throws UnknownTopicException if there is no such topic */
    TopicInfo describeTopic(String name);

    List<String> listTopics();

    /** @return whether a topic was deleted */
    boolean deleteTopic(String name);

    TopicInfo alterRetention(String name, Optional<Duration> retentionTime, Optional<Long> retentionBytes);

    /** Removes every record of a topic now (its start offsets move to its end offsets). */
    void purgeTopic(String name);

    List<String> listGroups();

    GroupInfo describeGroup(String group);

    /** Where to reset a group's offsets to. */
    sealed interface OffsetSpec {
        record Earliest() implements OffsetSpec {}

        record Latest() implements OffsetSpec {}

        record AtTimestamp(long epochMillis) implements OffsetSpec {}

        record AtOffset(long offset) implements OffsetSpec {}
    }

    /** Resets a group's committed offsets for a topic; fails if the group has live members. */
    Map<TopicPartition, Long> resetOffsets(String group, String topic, OffsetSpec to);

    /** Moves messages from a dead-letter topic back to their queue topic; returns how many. */
    long redrive(String deadLetterTopic, String targetTopic);
}
