package io.silt.client.internal;

import io.silt.client.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic sticky assignment: the same inputs give the same answer on every machine. Partitions stay with
 * their previous owner where the balance allows; counts differ by at most one when every member subscribes to the
 * same topics (with differing subscriptions, each partition goes only to a member that subscribed to its topic).
 */
final class StickyAssignor {
    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private StickyAssignor() {}

    /**
     * @param subscriptions member → topics, for the members of the new generation
     * @param partitionCounts topic → number of partitions
     * @param previous the previous generation's assignment (member → partitions)
     */
    static Map<String, List<TopicPartition>> assign(Map<String, List<String>> subscriptions,
                                                    Map<String, Integer> partitionCounts,
                                                    Map<String, List<TopicPartition>> previous) {
        List<String> members = new ArrayList<>(new TreeMap<>(subscriptions).keySet());
        Map<String, List<TopicPartition>> out = new TreeMap<>();
        members.forEach(m -> out.put(m, new ArrayList<>()));
        if (members.isEmpty()) {
            return out;
        }
        List<TopicPartition> all = new ArrayList<>();
        new TreeMap<>(partitionCounts).forEach((t, n) -> {
            if (subscriptions.values().stream().anyMatch(ts -> ts.contains(t))) {
                for (int p = 0; p < n; p++) {
                    all.add(new TopicPartition(t, p));
                }
            }
        });
        int base = all.size() / members.size();
        int extra = all.size() % members.size();

        // 1. Keep previous partitions, up to the base count each.
        Map<TopicPartition, String> owner = new HashMap<>();
        Map<String, List<TopicPartition>> kept = new HashMap<>();
        for (String m : members) {
            List<TopicPartition> prev = new ArrayList<>(previous.getOrDefault(m, List.of()));
            prev.removeIf(tp -> !all.contains(tp) || !subscriptions.get(m).contains(tp.topic()));
            prev.sort(ORDER);
            kept.put(m, prev);
            for (TopicPartition tp : prev.subList(0, Math.min(base, prev.size()))) {
                out.get(m).add(tp);
                owner.put(tp, m);
            }
        }
        // 2. Members that had more keep one more, while the extra slots last (most previous first, then by id).
        List<String> byPrevious = new ArrayList<>(members);
        byPrevious.sort(Comparator.comparingInt((String m) -> -kept.get(m).size()).thenComparing(m -> m));
        for (String m : byPrevious) {
            if (extra == 0) {
                break;
            }
            if (kept.get(m).size() > base) {
                TopicPartition tp = kept.get(m).get(base);
                out.get(m).add(tp);
                owner.put(tp, m);
                extra--;
            }
        }
        // 3. The rest go, in order, to the least-loaded member that subscribed to their topic.
        for (TopicPartition tp : all) {
            if (owner.containsKey(tp)) {
                continue;
            }
            String best = null;
            for (String m : members) {
                if (subscriptions.get(m).contains(tp.topic())
                        && (best == null || out.get(m).size() < out.get(best).size())) {
                    best = m;
                }
            }
            if (best != null) {
                out.get(best).add(tp);
            }
        }
        out.values().forEach(l -> l.sort(ORDER));
        return out;
    }
}
