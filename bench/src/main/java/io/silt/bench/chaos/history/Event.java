package io.silt.bench.chaos.history;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One line of a history: an operation a producer, consumer, compactor or the final reader recorded. A line is a type
 * word and space-separated fields (no field holds a space); times are wall-clock epoch milliseconds of the host that
 * ran the whole run. {@link #format()} and {@link #parse(String)} are inverse.
 *
 * <p>A topic-partition is written {@code topic/partition}. A record id is {@code producer.instance:sequence}, unique
 * per send; {@code crc} is the CRC32C of the record's value.
 */
public sealed interface Event {

    /** The line, without the newline. */
    String format();

    /** A producer is about to send a record. */
    record Send(long time, String rid, String topic, long crc) implements Event {
        public String format() {
            return "SEND " + time + " " + rid + " " + topic + " " + crc;
        }
    }

    /** The producer acknowledged a record at {@code partition}/{@code offset}. */
    record Ack(long time, String rid, String topic, int partition, long offset) implements Event {
        public String format() {
            return "ACK " + time + " " + rid + " " + topic + " " + partition + " " + offset;
        }
    }

    /** A send failed: its outcome is unknown (it may or may not be in the log, at most once). */
    record SendFailed(long time, String rid, String reason) implements Event {
        public String format() {
            return "FAIL " + time + " " + rid + " " + reason;
        }
    }

    /** A reader received the record {@code rid} at {@code topic/partition/offset}. */
    record Receive(long time, String reader, String topic, int partition, long offset, String rid, long crc)
            implements Event {
        public String format() {
            return "RECV " + time + " " + reader + " " + topic + " " + partition + " " + offset + " " + rid + " " + crc;
        }
    }

    /**
     * A group member committed {@code offset} (the next to read) for a partition: begun at {@code start}, answered at
     * {@code end}, with outcome {@code ok}, {@code rejected} (e.g. fenced: a zombie member) or {@code unknown}.
     */
    record Commit(long start, long end, String group, String member, String topic, int partition, long offset,
                  String outcome) implements Event {
        public String format() {
            return "COMMIT " + start + " " + end + " " + group + " " + member + " " + topic + " " + partition + " "
                    + offset + " " + outcome;
        }

        public boolean ok() {
            return outcome.equals("ok");
        }
    }

    /** An explicit reset of a group's offset (after it, a lower commit is allowed). */
    record Reset(long time, String group, String topic, int partition) implements Event {
        public String format() {
            return "RESET " + time + " " + group + " " + topic + " " + partition;
        }
    }

    /**
     * A queue consumer received a message with delivery count {@code count}: the receive began at {@code start} and
     * returned at {@code end}; the message is invisible to others for {@code visibilityMillis} from the claim, which
     * is after {@code start}, so its deadline is no earlier than {@code start + visibilityMillis}.
     */
    record QueueReceive(long start, long end, String consumer, String topic, int partition, long offset, String rid,
                        int count, long visibilityMillis) implements Event {
        public String format() {
            return "QRECV " + start + " " + end + " " + consumer + " " + topic + " " + partition + " " + offset + " "
                    + rid + " " + count + " " + visibilityMillis;
        }

        /** The earliest moment the message may be delivered again (unless nacked). */
        public long deadline() {
            return start + visibilityMillis;
        }
    }

    /**
     * The outcome of a {@link QueueAck} or {@link QueueNack} line written just before the call ({@code end} =
     * {@code start}): a second line with the outcome follows, unless the process was killed during the call, in
     * which case the settle record may or may not have been written.
     */
    String INVOKED = "invoked";

    /**
     * A queue consumer acked delivery {@code count} of a message; {@code end} is when its flush returned, and
     * {@code outcome} is {@code ok}, {@code failed} or {@link #INVOKED}.
     */
    record QueueAck(long start, long end, String consumer, String topic, int partition, long offset, int count,
                    String outcome) implements Event {
        public String format() {
            return "QACK " + start + " " + end + " " + consumer + " " + topic + " " + partition + " " + offset + " "
                    + count + " " + outcome;
        }

        public boolean ok() {
            return outcome.equals("ok");
        }
    }

    /** A queue consumer gave delivery {@code count} of a message back (visible again {@code delayMillis} later). */
    record QueueNack(long start, long end, String consumer, String topic, int partition, long offset, int count,
                     long delayMillis, String outcome) implements Event {
        public String format() {
            return "QNACK " + start + " " + end + " " + consumer + " " + topic + " " + partition + " " + offset + " "
                    + count + " " + delayMillis + " " + outcome;
        }

        public boolean ok() {
            return outcome.equals("ok");
        }
    }

    /** The final read found, in the dead-letter topic, the message from {@code topic/partition/offset}. */
    record DeadLetter(String topic, int partition, long offset, String rid) implements Event {
        public String format() {
            return "DLQ " + topic + " " + partition + " " + offset + " " + rid;
        }
    }

    /** The final read (the reference): record {@code rid} is at {@code topic/partition/offset}. */
    record Logged(String topic, int partition, long offset, String rid, long crc) implements Event {
        public String format() {
            return "LOG " + topic + " " + partition + " " + offset + " " + rid + " " + crc;
        }
    }

    /** The final read of a partition covered {@code [start, end)}. */
    record End(String topic, int partition, long start, long end) implements Event {
        public String format() {
            return "END " + topic + " " + partition + " " + start + " " + end;
        }
    }

    /** A group's committed offset of a partition at the end of the run. */
    record GroupEnd(String group, String topic, int partition, long offset) implements Event {
        public String format() {
            return "GROUPEND " + group + " " + topic + " " + partition + " " + offset;
        }
    }

    /** A compactor run ended with {@code status} (a {@code BucketCompactionReport.Status}, or {@code ERROR}). */
    record Compaction(long time, String status, long epoch) implements Event {
        public String format() {
            return "COMPACT " + time + " " + status + " " + epoch;
        }
    }

    /** Cumulative counters of a process (faults injected, operations); the last one of a process counts. */
    record Stats(long time, Map<String, Long> counters) implements Event {
        public Stats {
            counters = Map.copyOf(counters);
        }

        public String format() {
            StringBuilder b = new StringBuilder("STAT ").append(time);
            new TreeMap<>(counters).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.toString();
        }
    }

    /**
     * Parses a line; empty for a blank line, a {@code #} comment or a line that is not complete (the half-written
     * last line of a killed process).
     */
    static Optional<Event> parse(String line) {
        String[] f = line.strip().split(" ");
        if (f.length == 0 || f[0].isEmpty() || f[0].startsWith("#")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(parseFields(f));
        } catch (RuntimeException e) { // a torn line: too few fields or a number cut short
            return Optional.empty();
        }
    }

    private static Event parseFields(String[] f) {
        return switch (f[0]) {
            case "SEND" -> new Send(l(f, 1), f[2], f[3], l(f, 4));
            case "ACK" -> new Ack(l(f, 1), f[2], f[3], i(f, 4), l(f, 5));
            case "FAIL" -> new SendFailed(l(f, 1), f[2], String.join(" ", Arrays.copyOfRange(f, 3, f.length)));
            case "RECV" -> new Receive(l(f, 1), f[2], f[3], i(f, 4), l(f, 5), f[6], l(f, 7));
            case "COMMIT" -> new Commit(l(f, 1), l(f, 2), f[3], f[4], f[5], i(f, 6), l(f, 7), f[8]);
            case "RESET" -> new Reset(l(f, 1), f[2], f[3], i(f, 4));
            case "QRECV" -> new QueueReceive(l(f, 1), l(f, 2), f[3], f[4], i(f, 5), l(f, 6), f[7], i(f, 8), l(f, 9));
            case "QACK" -> new QueueAck(l(f, 1), l(f, 2), f[3], f[4], i(f, 5), l(f, 6), i(f, 7), f[8]);
            case "QNACK" -> new QueueNack(l(f, 1), l(f, 2), f[3], f[4], i(f, 5), l(f, 6), i(f, 7), l(f, 8), f[9]);
            case "DLQ" -> new DeadLetter(f[1], i(f, 2), l(f, 3), f[4]);
            case "LOG" -> new Logged(f[1], i(f, 2), l(f, 3), f[4], l(f, 5));
            case "END" -> new End(f[1], i(f, 2), l(f, 3), l(f, 4));
            case "GROUPEND" -> new GroupEnd(f[1], f[2], i(f, 3), l(f, 4));
            case "COMPACT" -> new Compaction(l(f, 1), f[2], l(f, 3));
            case "STAT" -> new Stats(l(f, 1), counters(List.of(f).subList(2, f.length)));
            default -> null;
        };
    }

    private static Map<String, Long> counters(List<String> pairs) {
        Map<String, Long> out = new TreeMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            out.put(p.substring(0, eq), Long.parseLong(p.substring(eq + 1)));
        }
        return out;
    }

    private static long l(String[] f, int i) {
        return Long.parseLong(f[i]);
    }

    private static int i(String[] f, int i) {
        return Integer.parseInt(f[i]);
    }
}
