package io.silt.bench.chaos.history;

import io.silt.bench.chaos.history.Violation.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies a run's {@link History} against the guarantees of Silt (issue 9), Jepsen-style: the final full read of
 * every partition ({@link Event.Logged}, {@link Event.End}, {@link Event.DeadLetter}, {@link Event.GroupEnd}) is the
 * reference, and every operation the processes recorded must be consistent with it and with each other.
 *
 * <ul>
 *   <li>{@link Rule#LOST_ACK}: every acknowledged record is in the log at its acknowledged partition and offset;</li>
 *   <li>{@link Rule#DUPLICATE}: a record id appears at most once in the log, even if its send failed with an unknown
 *       outcome (the producers are idempotent and never send a record id twice themselves);</li>
 *   <li>{@link Rule#CORRUPT}: every record in the log was sent, with the checksum it was sent with;</li>
 *   <li>{@link Rule#ORDER}: every receive (group consumers and queue consumers alike) at offset o of partition p saw
 *       the record the reference has there, so every reader sees the same order;</li>
 *   <li>{@link Rule#GAP}: the reference's offsets of each partition are contiguous and fill its [start, end);</li>
 *   <li>{@link Rule#COMMIT_BACKWARDS}: for a group and partition, a commit that succeeded after another succeeded
 *       (real-time order: the first answered before the second began) is not lower, unless a {@link Event.Reset}
 *       came between; the group's final committed offset is not below any successful commit;</li>
 *   <li>queue rules, per message (topic, partition, offset): no two receives with the same delivery count
 *       ({@link Rule#QUEUE_DOUBLE_DELIVERY}); delivery c+1 not returned before delivery c's deadline (its receive's
 *       start plus its visibility timeout) or, if c was nacked, before the nack began plus its delay, less the clock
 *       skew tolerance ({@link Rule#QUEUE_EARLY_REDELIVERY}); after an ack whose flush returned before the
 *       delivery's deadline less the tolerance, no further delivery ({@link Rule#QUEUE_ACK_LOST}); no delivery
 *       count above the maximum ({@link Rule#QUEUE_OVER_DELIVERED}); dead-lettered at most once, never after an ack
 *       in time, and always when the last allowed delivery was nacked ({@link Rule#QUEUE_DEAD_LETTER}); and each
 *       message of a queue topic acked or dead-lettered by the end ({@link Rule#QUEUE_UNSETTLED}). An ack or nack
 *       counts whatever its outcome, {@link Event#INVOKED} included: a consumer killed during the call may have
 *       written its settle record without recording the outcome, so an invoked ack may have settled the message and
 *       an invoked nack may have released it at once.</li>
 * </ul>
 *
 * <p>All processes run on one host, so they share the wall clock; {@link Settings#skewMillis()} still allows for the
 * granularity of the clock and the time between an event and its timestamp.
 */
public final class HistoryChecker {

    /**
     * @param maxDeliveries the queues' maximum deliveries before dead-lettering
     * @param skewMillis the clock skew tolerance of the timing rules
     * @param queueTopics the topics read as queues (every message must end acked or dead-lettered)
     */
    public record Settings(int maxDeliveries, long skewMillis, Set<String> queueTopics) {
        public Settings {
            queueTopics = Set.copyOf(queueTopics);
        }
    }

    /** An event and the process that recorded it. */
    private record At<E extends Event>(String process, E event) {
        @Override
        public String toString() {
            return process + ": " + event.format();
        }
    }

    private record Tpo(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    private record Tp(String topic, int partition) {}

    private final History history;
    private final Settings settings;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<Tpo, At<Event.Logged>> reference = new HashMap<>();

    private HistoryChecker(History history, Settings settings) {
        this.history = history;
        this.settings = settings;
    }

    /** Checks {@code history}; the violations found, in rule order (empty: the run kept every guarantee). */
    public static List<Violation> check(History history, Settings settings) {
        HistoryChecker c = new HistoryChecker(Objects.requireNonNull(history), Objects.requireNonNull(settings));
        c.checkLog();
        c.checkAcks();
        c.checkReceives();
        c.checkCommits();
        c.checkQueues();
        c.violations.sort(Comparator.comparing(Violation::rule));
        return List.copyOf(c.violations);
    }

    private <E extends Event> List<At<E>> all(Class<E> type) {
        List<At<E>> out = new ArrayList<>();
        history.byProcess().forEach((process, events) -> {
            for (Event e : events) {
                if (type.isInstance(e)) {
                    out.add(new At<>(process, type.cast(e)));
                }
            }
        });
        return out;
    }

    private void violation(Rule rule, String evidence) {
        violations.add(new Violation(rule, evidence));
    }

    /** The reference: contiguous, no duplicates, only records that were sent, with their checksums. */
    private void checkLog() {
        Map<String, At<Event.Send>> sends = new HashMap<>();
        for (At<Event.Send> s : all(Event.Send.class)) {
            sends.put(s.event().rid(), s);
        }
        Map<String, At<Event.Logged>> byRid = new HashMap<>();
        Map<Tp, TreeMap<Long, At<Event.Logged>>> byPartition = new HashMap<>();
        for (At<Event.Logged> l : all(Event.Logged.class)) {
            Event.Logged e = l.event();
            Tpo at = new Tpo(e.topic(), e.partition(), e.offset());
            At<Event.Logged> before = reference.put(at, l);
            if (before != null) {
                violation(Rule.GAP, "offset " + at + " read twice: " + before + " / " + l);
            }
            byPartition.computeIfAbsent(new Tp(e.topic(), e.partition()), k -> new TreeMap<>()).put(e.offset(), l);
            At<Event.Logged> other = byRid.put(e.rid(), l);
            if (other != null) {
                violation(Rule.DUPLICATE, "record " + e.rid() + " is in the log twice: " + other + " / " + l
                        + describeSend(sends.get(e.rid())));
            }
            At<Event.Send> sent = sends.get(e.rid());
            if (sent == null) {
                violation(Rule.CORRUPT, "record " + e.rid() + " in the log was never sent: " + l);
            } else if (sent.event().crc() != e.crc()) {
                violation(Rule.CORRUPT, "record " + e.rid() + " has checksum " + e.crc() + " in the log but was sent"
                        + " with " + sent.event().crc() + ": " + l + " / " + sent);
            }
        }
        for (At<Event.End> end : all(Event.End.class)) {
            Event.End e = end.event();
            TreeMap<Long, At<Event.Logged>> offsets = byPartition.getOrDefault(new Tp(e.topic(), e.partition()),
                    new TreeMap<>());
            long expected = e.start();
            for (long o : offsets.keySet()) {
                if (o != expected) {
                    violation(Rule.GAP, e.topic() + "/" + e.partition() + ": offset " + o + " follows "
                            + (expected - 1) + " (expected " + expected + "); " + end);
                }
                expected = o + 1;
            }
            if (expected != e.end()) {
                violation(Rule.GAP, e.topic() + "/" + e.partition() + ": the read ended at " + expected
                        + " but the partition ends at " + e.end() + "; " + end);
            }
        }
    }

    private static String describeSend(At<Event.Send> send) {
        return send == null ? "" : " (sent: " + send + ")";
    }

    private void checkAcks() {
        for (At<Event.Ack> a : all(Event.Ack.class)) {
            Event.Ack e = a.event();
            Tpo at = new Tpo(e.topic(), e.partition(), e.offset());
            At<Event.Logged> l = reference.get(at);
            if (l == null || !l.event().rid().equals(e.rid())) {
                violation(Rule.LOST_ACK, "record " + e.rid() + " acknowledged at " + at + " but the log has "
                        + (l == null ? "nothing there" : l) + ": " + a);
            }
        }
    }

    private void checkReceives() {
        for (At<Event.Receive> r : all(Event.Receive.class)) {
            Event.Receive e = r.event();
            compare(new Tpo(e.topic(), e.partition(), e.offset()), e.rid(), r);
            At<Event.Logged> l = reference.get(new Tpo(e.topic(), e.partition(), e.offset()));
            if (l != null && l.event().rid().equals(e.rid()) && l.event().crc() != e.crc()) {
                violation(Rule.CORRUPT, "a reader got a value with checksum " + e.crc() + " but the log's is "
                        + l.event().crc() + ": " + r + " / " + l);
            }
        }
        for (At<Event.QueueReceive> r : all(Event.QueueReceive.class)) {
            Event.QueueReceive e = r.event();
            compare(new Tpo(e.topic(), e.partition(), e.offset()), e.rid(), r);
        }
    }

    private void compare(Tpo at, String rid, At<?> receive) {
        At<Event.Logged> l = reference.get(at);
        if (l == null || !l.event().rid().equals(rid)) {
            violation(Rule.ORDER, "a reader saw " + rid + " at " + at + " but the reference has "
                    + (l == null ? "nothing there" : l) + ": " + receive);
        }
    }

    private void checkCommits() {
        Map<String, List<At<Event.Commit>>> commits = new HashMap<>();
        for (At<Event.Commit> c : all(Event.Commit.class)) {
            if (c.event().ok()) {
                Event.Commit e = c.event();
                commits.computeIfAbsent(e.group() + " " + e.topic() + "/" + e.partition(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        Map<String, List<Long>> resets = new HashMap<>();
        for (At<Event.Reset> r : all(Event.Reset.class)) {
            Event.Reset e = r.event();
            resets.computeIfAbsent(e.group() + " " + e.topic() + "/" + e.partition(), k -> new ArrayList<>())
                    .add(e.time());
        }
        commits.forEach((key, list) -> {
            List<Long> resetTimes = resets.getOrDefault(key, List.of());
            for (At<Event.Commit> y : list) {
                At<Event.Commit> worst = null;
                for (At<Event.Commit> x : list) {
                    if (x.event().end() < y.event().start() && x.event().offset() > y.event().offset()
                            && !resetBetween(resetTimes, x.event().end(), y.event().start())
                            && (worst == null || x.event().offset() > worst.event().offset())) {
                        worst = x;
                    }
                }
                if (worst != null) {
                    violation(Rule.COMMIT_BACKWARDS, key + ": committed " + y.event().offset() + " after "
                            + worst.event().offset() + " had been committed: " + worst + " / " + y);
                }
            }
        });
        for (At<Event.GroupEnd> g : all(Event.GroupEnd.class)) {
            Event.GroupEnd e = g.event();
            String key = e.group() + " " + e.topic() + "/" + e.partition();
            for (At<Event.Commit> c : commits.getOrDefault(key, List.of())) {
                if (c.event().offset() > e.offset() && resets.getOrDefault(key, List.of()).stream()
                        .noneMatch(t -> t >= c.event().end())) {
                    violation(Rule.COMMIT_BACKWARDS, key + ": the group ends at " + e.offset() + ", below a "
                            + "successful commit: " + c + " / " + g);
                    break;
                }
            }
        }
    }

    private static boolean resetBetween(List<Long> resets, long after, long before) {
        return resets.stream().anyMatch(t -> t >= after && t <= before);
    }

    /** Everything recorded about one queue message. */
    private static final class Message {
        final List<At<Event.QueueReceive>> receives = new ArrayList<>();
        final List<At<Event.QueueAck>> acks = new ArrayList<>();
        final List<At<Event.QueueNack>> nacks = new ArrayList<>();
        final List<At<Event.DeadLetter>> deadLetters = new ArrayList<>();

        At<Event.QueueReceive> delivery(int count) {
            return receives.stream().filter(r -> r.event().count() == count).findFirst().orElse(null);
        }
    }

    private void checkQueues() {
        Map<Tpo, Message> messages = new HashMap<>();
        for (At<Event.QueueReceive> r : all(Event.QueueReceive.class)) {
            Event.QueueReceive e = r.event();
            messages.computeIfAbsent(new Tpo(e.topic(), e.partition(), e.offset()), k -> new Message()).receives.add(r);
        }
        for (At<Event.QueueAck> a : all(Event.QueueAck.class)) {
            Event.QueueAck e = a.event();
            messages.computeIfAbsent(new Tpo(e.topic(), e.partition(), e.offset()), k -> new Message()).acks.add(a);
        }
        for (At<Event.QueueNack> n : all(Event.QueueNack.class)) {
            Event.QueueNack e = n.event();
            messages.computeIfAbsent(new Tpo(e.topic(), e.partition(), e.offset()), k -> new Message()).nacks.add(n);
        }
        for (At<Event.DeadLetter> d : all(Event.DeadLetter.class)) {
            Event.DeadLetter e = d.event();
            messages.computeIfAbsent(new Tpo(e.topic(), e.partition(), e.offset()), k -> new Message())
                    .deadLetters.add(d);
        }
        messages.forEach(this::checkMessage);
        Set<Tpo> settled = new HashSet<>();
        messages.forEach((at, m) -> {
            if (!m.acks.isEmpty() || !m.deadLetters.isEmpty()) {
                settled.add(at);
            }
        });
        for (Map.Entry<Tpo, At<Event.Logged>> e : reference.entrySet()) {
            if (settings.queueTopics().contains(e.getKey().topic()) && !settled.contains(e.getKey())) {
                Message m = messages.get(e.getKey());
                violation(Rule.QUEUE_UNSETTLED, e.getKey() + " was neither acked nor dead-lettered: "
                        + e.getValue() + (m == null ? "; never received" : "; deliveries " + m.receives));
            }
        }
    }

    private void checkMessage(Tpo at, Message m) {
        long skew = settings.skewMillis();
        Map<Integer, At<Event.QueueReceive>> byCount = new HashMap<>();
        for (At<Event.QueueReceive> r : m.receives) {
            At<Event.QueueReceive> other = byCount.putIfAbsent(r.event().count(), r);
            if (other != null) {
                violation(Rule.QUEUE_DOUBLE_DELIVERY, at + " delivered twice with count " + r.event().count() + ": "
                        + other + " / " + r);
            }
            if (r.event().count() > settings.maxDeliveries()) {
                violation(Rule.QUEUE_OVER_DELIVERED, at + " delivered " + r.event().count() + " times, more than "
                        + settings.maxDeliveries() + ": " + r);
            }
        }
        for (At<Event.QueueReceive> r : m.receives) {
            At<Event.QueueReceive> previous = byCount.get(r.event().count() - 1);
            if (previous == null) {
                continue; // its receiver died before recording it
            }
            long allowed = previous.event().deadline();
            String why = "the deadline of " + previous;
            for (At<Event.QueueNack> n : m.nacks) {
                if (n.event().count() == previous.event().count()
                        && n.event().start() + n.event().delayMillis() < allowed) {
                    allowed = n.event().start() + n.event().delayMillis();
                    why = "the nack " + n;
                }
            }
            if (r.event().end() < allowed - skew) {
                violation(Rule.QUEUE_EARLY_REDELIVERY, at + " delivered again " + (allowed - r.event().end())
                        + " ms before " + why + ": " + r);
            }
        }
        At<Event.QueueAck> timely = null;
        for (At<Event.QueueAck> a : m.acks) {
            At<Event.QueueReceive> d = byCount.get(a.event().count());
            if (a.event().ok() && d != null && a.event().end() < d.event().deadline() - skew) {
                timely = timely == null || a.event().count() < timely.event().count() ? a : timely;
            }
        }
        if (timely != null) {
            int acked = timely.event().count();
            for (At<Event.QueueReceive> r : m.receives) {
                if (r.event().count() > acked) {
                    violation(Rule.QUEUE_ACK_LOST, at + " was acked in time by delivery " + acked + ", yet delivered"
                            + " again: " + timely + " / " + r);
                }
            }
            if (!m.deadLetters.isEmpty()) {
                violation(Rule.QUEUE_DEAD_LETTER, at + " was acked in time, yet dead-lettered: " + timely + " / "
                        + m.deadLetters.get(0));
            }
        }
        if (m.deadLetters.size() > 1) {
            violation(Rule.QUEUE_DEAD_LETTER, at + " dead-lettered " + m.deadLetters.size() + " times: "
                    + m.deadLetters);
        }
        if (m.deadLetters.isEmpty()) {
            for (At<Event.QueueNack> n : m.nacks) {
                if (n.event().ok() && n.event().count() >= settings.maxDeliveries()) {
                    violation(Rule.QUEUE_DEAD_LETTER, at + " was nacked at its last allowed delivery ("
                            + n.event().count() + ") but is not in the dead-letter topic: " + n);
                }
            }
        }
        m.deadLetters.stream().filter(d -> !d.event().rid().equals(ridOf(at))).forEach(d -> violation(Rule.ORDER,
                "the dead letter from " + at + " holds " + d.event().rid() + " but the reference has "
                        + reference.get(at) + ": " + d));
    }

    private String ridOf(Tpo at) {
        At<Event.Logged> l = reference.get(at);
        return l == null ? null : l.event().rid();
    }

    /** How many violations of each rule, for the report. */
    public static Map<Rule, Long> countByRule(Collection<Violation> violations) {
        Map<Rule, Long> out = new TreeMap<>();
        for (Violation v : violations) {
            out.merge(v.rule(), 1L, Long::sum);
        }
        return out;
    }
}
