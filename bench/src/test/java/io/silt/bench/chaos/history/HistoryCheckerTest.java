package io.silt.bench.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.bench.chaos.history.Violation.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of the {@link HistoryChecker}: a hand-made history that breaks it is caught, a valid one passes. */
class HistoryCheckerTest {
    private static final HistoryChecker.Settings SETTINGS = new HistoryChecker.Settings(3, 100, Set.of("q"));

    /** Histories by process, each given as its lines. */
    private static History history(String... processAndLines) {
        Map<String, List<Event>> m = new LinkedHashMap<>();
        for (int i = 0; i < processAndLines.length; i += 2) {
            m.put(processAndLines[i], History.parse(processAndLines[i + 1]));
        }
        return new History(m);
    }

    private static List<Violation> check(String... processAndLines) {
        return HistoryChecker.check(history(processAndLines), SETTINGS);
    }

    private static Set<Rule> rules(List<Violation> violations) {
        return Set.copyOf(violations.stream().map(Violation::rule).toList());
    }

    /** Two records sent and acked, read back by a group member that commits, and the reference. */
    private static final String PRODUCER = """
            SEND 1000 p0.0:0 t 11
            SEND 1001 p0.0:1 t 22
            ACK 1010 p0.0:0 t 0 0
            ACK 1011 p0.0:1 t 0 1
            """;
    private static final String REFERENCE = """
            LOG t 0 0 p0.0:0 11
            LOG t 0 1 p0.0:1 22
            END t 0 0 2
            """;

    @Test
    void aValidHistoryPasses() {
        assertThat(check("p0.0", PRODUCER, "g0.0", """
                RECV 1020 g0.0 t 0 0 p0.0:0 11
                RECV 1021 g0.0 t 0 1 p0.0:1 22
                COMMIT 1030 1040 grp g0.0 t 0 2 ok
                """, "reference", REFERENCE + "GROUPEND grp t 0 2\n")).isEmpty();
    }

    @Test
    void aTornLastLineIsIgnored() {
        assertThat(History.parse("SEND 1 a:0 t 1\nACK 2 a:0 t 0 1")).hasSize(1);
        assertThat(check("p0.0", PRODUCER + "ACK 1012 p0.0:1 t 0 1", "reference", REFERENCE)).isEmpty();
    }

    @Test
    void anAcknowledgedRecordMissingFromTheLogIsLost() {
        List<Violation> v = check("p0.0", PRODUCER, "reference", """
                LOG t 0 0 p0.0:0 11
                END t 0 0 1
                """);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.LOST_ACK);
        assertThat(v.get(0).evidence()).contains("p0.0:1", "t/0@1", "p0.0: ACK 1011 p0.0:1 t 0 1");
    }

    @Test
    void anAcknowledgedRecordAtAnotherOffsetIsLost() {
        assertThat(rules(check("p0.0", PRODUCER, "reference", """
                LOG t 0 0 p0.0:1 22
                LOG t 0 1 p0.0:0 11
                END t 0 0 2
                """))).containsExactlyInAnyOrder(Rule.LOST_ACK);
    }

    @Test
    void aRecordTwiceInTheLogIsADuplicateEvenIfItsSendFailed() {
        List<Violation> v = check("p0.0", """
                SEND 1000 p0.0:0 t 11
                FAIL 1100 p0.0:0 RetriableSiltException
                """, "reference", """
                LOG t 0 0 p0.0:0 11
                LOG t 0 1 p0.0:0 11
                END t 0 0 2
                """);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.DUPLICATE);
        assertThat(v.get(0).evidence()).contains("t 0 0 p0.0:0", "t 0 1 p0.0:0");
    }

    @Test
    void aRecordNeverSentOrWithAnotherChecksumIsCorrupt() {
        assertThat(rules(check("p0.0", PRODUCER, "reference", """
                LOG t 0 0 p0.0:0 99
                LOG t 0 1 p0.0:1 22
                LOG t 0 2 x.0:7 1
                END t 0 0 3
                """))).containsExactlyInAnyOrder(Rule.CORRUPT);
    }

    @Test
    void aReaderThatSawAnotherRecordAtAnOffsetBreaksTheOrder() {
        List<Violation> v = check("p0.0", PRODUCER, "g0.0", """
                RECV 1020 g0.0 t 0 0 p0.0:1 22
                """, "reference", REFERENCE);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.ORDER);
        assertThat(v.get(0).evidence()).contains("g0.0: RECV", "reference: LOG t 0 0 p0.0:0");
    }

    @Test
    void aQueueReceiveIsCheckedAgainstTheReferenceToo() {
        assertThat(rules(check("p0.0", PRODUCER, "q0.0", """
                QRECV 1020 1021 q0.0 t 0 5 p0.0:0 1 1000
                """, "reference", REFERENCE))).containsExactlyInAnyOrder(Rule.ORDER);
    }

    @Test
    void aHoleInTheOffsetsIsAGap() {
        assertThat(rules(check("p0.0", """
                SEND 1000 p0.0:0 t 11
                SEND 1001 p0.0:1 t 22
                """, "reference", """
                LOG t 0 0 p0.0:0 11
                LOG t 0 2 p0.0:1 22
                END t 0 0 3
                """))).containsExactlyInAnyOrder(Rule.GAP);
        assertThat(rules(check("p0.0", PRODUCER, "reference", REFERENCE.replace("END t 0 0 2", "END t 0 0 3"))))
                .containsExactlyInAnyOrder(Rule.GAP);
    }

    @Test
    void aCommitBelowAnEarlierSuccessfulOneGoesBackwards() {
        List<Violation> v = check("g0.0", """
                COMMIT 100 110 grp g0.0 t 0 50 ok
                """, "g1.0", """
                COMMIT 200 210 grp g1.0 t 0 40 ok
                """);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.COMMIT_BACKWARDS);
        assertThat(v.get(0).evidence()).contains("committed 40 after 50");
    }

    @Test
    void overlappingRejectedOrResetCommitsAreAllowed() {
        assertThat(check("g0.0", """
                COMMIT 100 300 grp g0.0 t 0 50 ok
                COMMIT 400 410 grp g0.0 t 0 10 rejected
                """, "g1.0", """
                COMMIT 200 210 grp g1.0 t 0 40 ok
                """, "admin", """
                RESET 500 grp t 0
                """, "g2.0", """
                COMMIT 600 610 grp g2.0 t 0 0 ok
                """)).isEmpty();
    }

    @Test
    void aGroupEndingBelowASuccessfulCommitWentBackwards() {
        assertThat(rules(check("g0.0", "COMMIT 100 110 grp g0.0 t 0 50 ok\n", "reference", "GROUPEND grp t 0 7\n")))
                .containsExactlyInAnyOrder(Rule.COMMIT_BACKWARDS);
    }

    private static final String QUEUE_PRODUCER = """
            SEND 1000 p0.0:0 q 11
            ACK 1010 p0.0:0 q 0 0
            """;
    private static final String QUEUE_REFERENCE = """
            LOG q 0 0 p0.0:0 11
            END q 0 0 1
            """;

    @Test
    void aQueueMessageRedeliveredAfterItsTimeoutAndAckedPasses() {
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                """, "q1.0", """
                QRECV 3000 3010 q1.0 q 0 0 p0.0:0 2 1000
                QACK 3020 3030 q1.0 q 0 0 2 ok
                """, "reference", QUEUE_REFERENCE)).isEmpty();
    }

    @Test
    void twoReceivesWithTheSameCountAreADoubleDelivery() {
        assertThat(rules(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QACK 2020 2030 q0.0 q 0 0 1 ok
                """, "q1.0", """
                QRECV 2005 2015 q1.0 q 0 0 p0.0:0 1 1000
                """, "reference", QUEUE_REFERENCE))).containsExactlyInAnyOrder(Rule.QUEUE_DOUBLE_DELIVERY);
    }

    @Test
    void aRedeliveryBeforeTheVisibilityTimeoutIsEarly() {
        List<Violation> v = check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                """, "q1.0", """
                QRECV 2500 2510 q1.0 q 0 0 p0.0:0 2 1000
                QACK 2520 2530 q1.0 q 0 0 2 ok
                """, "reference", QUEUE_REFERENCE);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.QUEUE_EARLY_REDELIVERY);
        assertThat(v.get(0).evidence()).contains("490 ms before");
    }

    @Test
    void aRedeliveryAfterANackIsNotEarly() {
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QNACK 2020 2030 q0.0 q 0 0 1 0 ok
                """, "q1.0", """
                QRECV 2040 2050 q1.0 q 0 0 p0.0:0 2 1000
                QACK 2060 2070 q1.0 q 0 0 2 ok
                """, "reference", QUEUE_REFERENCE)).isEmpty();
    }

    @Test
    void aRedeliveryAfterAnAckInTimeMeansTheAckWasLost() {
        List<Violation> v = check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QACK 2020 2030 q0.0 q 0 0 1 ok
                """, "q1.0", """
                QRECV 3500 3510 q1.0 q 0 0 p0.0:0 2 1000
                """, "reference", QUEUE_REFERENCE);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.QUEUE_ACK_LOST);
        assertThat(v.get(0).evidence()).contains("q0.0: QACK", "q1.0: QRECV");
    }

    @Test
    void aLateAckDoesNotPreventARedelivery() {
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QACK 3100 3200 q0.0 q 0 0 1 ok
                """, "q1.0", """
                QRECV 3050 3060 q1.0 q 0 0 p0.0:0 2 1000
                QACK 3070 3080 q1.0 q 0 0 2 ok
                """, "reference", QUEUE_REFERENCE)).isEmpty();
    }

    /** A poison message nacked at each of its 3 allowed deliveries. */
    private static final String POISON = """
            QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
            QNACK 2020 2030 q0.0 q 0 0 1 0 ok
            QRECV 2040 2050 q0.0 q 0 0 p0.0:0 2 1000
            QNACK 2060 2070 q0.0 q 0 0 2 0 ok
            QRECV 2080 2090 q0.0 q 0 0 p0.0:0 3 1000
            QNACK 2100 2110 q0.0 q 0 0 3 0 ok
            """;

    @Test
    void aMessageNackedAtItsLastDeliveryIsDeadLetteredOnce() {
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", POISON, "reference", QUEUE_REFERENCE
                + "DLQ q 0 0 p0.0:0\n")).isEmpty();
        assertThat(rules(check("p0.0", QUEUE_PRODUCER, "q0.0", POISON, "reference", QUEUE_REFERENCE)))
                .containsExactlyInAnyOrder(Rule.QUEUE_DEAD_LETTER, Rule.QUEUE_UNSETTLED);
        assertThat(rules(check("p0.0", QUEUE_PRODUCER, "q0.0", POISON, "reference", QUEUE_REFERENCE
                + "DLQ q 0 0 p0.0:0\nDLQ q 0 0 p0.0:0\n"))).containsExactlyInAnyOrder(Rule.QUEUE_DEAD_LETTER);
    }

    @Test
    void aMessageAckedInTimeMustNotBeDeadLettered() {
        assertThat(rules(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QACK 2020 2030 q0.0 q 0 0 1 ok
                """, "reference", QUEUE_REFERENCE + "DLQ q 0 0 p0.0:0\n"))).containsExactlyInAnyOrder(Rule.QUEUE_DEAD_LETTER);
    }

    @Test
    void aDeliveryBeyondTheMaximumIsOverDelivered() {
        assertThat(rules(check("p0.0", QUEUE_PRODUCER, "q0.0", POISON + """
                QRECV 2120 2130 q0.0 q 0 0 p0.0:0 4 1000
                """, "reference", QUEUE_REFERENCE + "DLQ q 0 0 p0.0:0\n")))
                .containsExactlyInAnyOrder(Rule.QUEUE_OVER_DELIVERED);
    }

    @Test
    void aQueueMessageNeitherAckedNorDeadLetteredIsUnsettled() {
        List<Violation> v = check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                """, "reference", QUEUE_REFERENCE);
        assertThat(rules(v)).containsExactlyInAnyOrder(Rule.QUEUE_UNSETTLED);
        assertThat(v.get(0).evidence()).contains("q/0@0", "q0.0: QRECV");
    }

    /** Issue 9, seed 9: q1.0 was killed after its settle record landed, before it recorded the ack's outcome. */
    @Test
    void anAckOrNackCutShortByAKillMayHaveSettled() {
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QACK 2020 2020 q0.0 q 0 0 1 invoked
                """, "reference", QUEUE_REFERENCE)).isEmpty();
        assertThat(check("p0.0", QUEUE_PRODUCER, "q0.0", """
                QRECV 2000 2010 q0.0 q 0 0 p0.0:0 1 1000
                QNACK 2020 2020 q0.0 q 0 0 1 0 invoked
                """, "q1.0", """
                QRECV 2040 2050 q1.0 q 0 0 p0.0:0 2 1000
                QACK 2060 2060 q1.0 q 0 0 2 invoked
                QACK 2060 2070 q1.0 q 0 0 2 ok
                """, "reference", QUEUE_REFERENCE)).isEmpty();
    }

    @Test
    void everyEventRoundTripsThroughItsLine() {
        String lines = PRODUCER + REFERENCE + POISON + """
                FAIL 5 a:1 RetriableSiltException
                RECV 1 g t 0 0 a:0 5
                COMMIT 1 2 grp g t 0 5 ok
                RESET 3 grp t 0
                QACK 1 2 q0.0 q 0 0 1 failed
                DLQ q 0 0 a:0
                GROUPEND grp t 0 5
                COMPACT 7 COMPLETED 3
                STAT 9 fault.io=3 fault.throttled=4
                """;
        StringBuilder again = new StringBuilder();
        History.parse(lines).forEach(e -> again.append(e.format()).append('\n'));
        assertThat(again.toString()).isEqualTo(lines);
    }
}
