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
}
