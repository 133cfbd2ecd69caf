package io.silt.functions.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schedule stays off inside AWS Lambda. */
class CompactionSchedulerTest {
    @Test
    void runsAreSkippedInLambdaOnly() {
        assertThat(new CompactionScheduler.InLambda("silt-compaction").test(null)).isTrue();
        assertThat(new CompactionScheduler.InLambda(null).test(null)).isFalse();
        assertThat(new CompactionScheduler.InLambda(" ").test(null)).isFalse();
    }
}
