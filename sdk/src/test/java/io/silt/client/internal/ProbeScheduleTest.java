package io.silt.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeScheduleTest {
    private static final long MS = 1_000_000L;
    private static final long MAX_IDLE = 1_000 * MS;

    @Test
    void whileDataFlowsItWaitsHalfAGapThenProbesInShortSteps() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        long t = 0;
        for (int i = 0; i < 10; i++, t += 80 * MS) {
            s.onData(t, true); // a batch every 80 ms, drained each time
        }
        long last = t - 80 * MS;
        assertThat(s.nextNanos()).isEqualTo(last + 40 * MS);    // half the gap
        s.onEmpty(last + 40 * MS);                               // nothing yet
        assertThat(s.nextNanos()).isEqualTo(last + 50 * MS);    // one step (gap / 8 = 10 ms) later
    }

    @Test
    void moreWaitingDataIsFetchedAtOnce() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        s.onData(0, true);
        s.onData(50 * MS, false);
        assertThat(s.due(50 * MS)).isTrue();
    }

    @Test
    void aQuietPartitionBacksOffToTheIdleMaximum() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        long t = 0;
        s.onData(t, true);
        s.onData(t += 20 * MS, true);
        t += 100 * MS; // three gaps passed: idle now
        long probes = 0;
        long end = t + 60_000 * MS;
        long lastGap = 0;
        while (t < end) {
            s.onEmpty(t);
            lastGap = s.nextNanos() - t;
            t = s.nextNanos();
            probes++;
        }
        assertThat(lastGap).isEqualTo(MAX_IDLE);
        assertThat(probes).isLessThanOrEqualTo(60 + 5);           // at most ~1 per second after the ramp
    }

    @Test
    void neverHavingSeenDataItBacksOffFromFiftyMilliseconds() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        s.onEmpty(0);
        assertThat(s.nextNanos()).isEqualTo(50 * MS);
        s.onEmpty(50 * MS);
        assertThat(s.nextNanos()).isEqualTo(150 * MS);
        s.reset();
        assertThat(s.due(0)).isTrue();
    }

    @Test
    void slowCommitsAreProbedInStepsOfAnEighthOfTheGapNotEveryFewMilliseconds() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        long gap = 2_000 * MS; // one 8 MiB commit every 2 s, read in three fetches
        long t = 0;
        long empty = 0;
        long seen = 0;
        for (int batch = 0; batch < 30; batch++) {
            long arrival = batch * gap;
            while (t < arrival) {  // probe whenever due until the commit is there
                t = Math.max(t, s.nextNanos());
                if (t >= arrival) {
                    break;
                }
                s.onEmpty(t);
                empty++;
            }
            seen = t;
            s.onData(t, false);      // the backlog's first fetch, and two more a few milliseconds apart
            s.onData(t + 5 * MS, false);
            s.onData(t + 10 * MS, true);
            t += 10 * MS;
        }
        long wait = s.nextNanos() - seen;
        assertThat(wait).as("half a gap after the arrival, capped by the idle maximum").isBetween(900 * MS, MAX_IDLE);
        s.onEmpty(seen + wait);
        assertThat(s.nextNanos() - (seen + wait)).as("a step of an eighth of the gap").isBetween(225 * MS, 275 * MS);
        assertThat(empty).as("empty probes for 29 gaps of 2 s (about 5 a batch, not 20)").isLessThanOrEqualTo(29 * 6);
    }

    @Test
    void aPauseIsNotLearntAndShorterGapsAreLearntQuickly() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        long t = 0;
        for (int i = 0; i < 10; i++, t += 100 * MS) {
            s.onData(t, true);
        }
        t += 60_000 * MS; // a minute's pause
        s.onData(t, true);
        assertThat(s.nextNanos()).isEqualTo(t + 50 * MS);        // still half of 100 ms
        s.onData(t += 20 * MS, true);                            // faster now: (100 + 20) / 2 = 60
        assertThat(s.nextNanos()).isEqualTo(t + 30 * MS);
        s.onData(t += 100 * MS, true);                           // slower again: learnt by a quarter, (3 * 60 + 100) / 4
        assertThat(s.nextNanos()).isEqualTo(t + 35 * MS);
    }

    @Test
    void waitsAndStepsNeverExceedTheIdleMaximum() {
        ProbeSchedule s = new ProbeSchedule(MAX_IDLE);
        s.onData(0, true);
        s.onData(7_900 * MS, true); // the longest gap still learnt (8 idle maxima): step 7.9 s / 8 = 987.5 ms
        assertThat(s.nextNanos()).isEqualTo(7_900 * MS + MAX_IDLE);
        for (long t = s.nextNanos(); t < 7_900 * MS + 30_000 * MS; t = s.nextNanos()) {
            s.onEmpty(t);
            assertThat(s.nextNanos() - t).isBetween(1L, MAX_IDLE);
        }
    }
}
