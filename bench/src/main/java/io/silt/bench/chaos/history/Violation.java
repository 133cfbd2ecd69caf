package io.silt.bench.chaos.history;

/**
 * A broken rule and the events that show it.
 *
 * @param rule which guarantee was broken
 * @param evidence the events involved, as their history lines with the process that wrote them
 */
public record Violation(Rule rule, String evidence) {

    /** The guarantees the {@link HistoryChecker} verifies. */
    public enum Rule {
        /** An acknowledged record is not in the final log at its acknowledged partition and offset. */
        LOST_ACK,
        /** A record id appears more than once in the log (idempotent producers must append each send once). */
        DUPLICATE,
        /** The log holds a record nobody sent, or with a value whose checksum differs from the one sent. */
        CORRUPT,
        /** A reader saw another record (or none) at a partition and offset than the reference read. */
        ORDER,
        /** A partition's offsets in the final log are not contiguous. */
        GAP,
        /** A group's committed offset went backwards (without an explicit reset). */
        COMMIT_BACKWARDS,
        /** Two receives of a queue message had the same delivery count (two owners at once). */
        QUEUE_DOUBLE_DELIVERY,
        /** A queue message was delivered again before its visibility timeout passed (and it was not nacked). */
        QUEUE_EARLY_REDELIVERY,
        /** A queue message acked by its owner within the visibility timeout was delivered again. */
        QUEUE_ACK_LOST,
        /** A queue message was delivered more than the maximum number of times. */
        QUEUE_OVER_DELIVERED,
        /** Dead-lettering broke: twice, not after the last delivery, or a message acked in time was dead-lettered. */
        QUEUE_DEAD_LETTER,
        /** A message of a queue was neither acked nor dead-lettered by the end. */
        QUEUE_UNSETTLED,
        /** The final read of the log failed (e.g. the log names a segment that no longer exists). */
        UNREADABLE
    }

    @Override
    public String toString() {
        return rule + ": " + evidence;
    }
}
