package io.silt.functions.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.InvalidRequestException;
import io.silt.functions.lambda.FakeContext;
import io.silt.storage.log.CompactionRunPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the compaction function derives its budget and lease wait from the invocation (no Quarkus needed). */
class CompactionHandlerPolicyTest {
    private static final Duration CAP = Duration.ofMinutes(10);

    @Test
    void theBudgetIsTheRemainingTimeLessAMinuteCappedAndRoundedDown() {
        assertThat(CompactionHandler.budget(Duration.ofMinutes(15), CAP, null)).isEqualTo(CAP);
        assertThat(CompactionHandler.budget(Duration.ofMillis(299_987), CAP, null)).isEqualTo(Duration.ofSeconds(230));
        assertThat(CompactionHandler.budget(Duration.ofMinutes(15), CAP, Duration.ofSeconds(95)))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(CompactionHandler.budget(null, CAP, null)).as("no deadline known: the cap").isEqualTo(CAP);
        assertThatThrownBy(() -> CompactionHandler.budget(Duration.ofSeconds(65), CAP, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timeout of 15 minutes");
    }

    @Test
    void aWarmInstanceGetsTheSamePolicyAtEveryInvocation() {
        CompactionRunPolicy base = CompactionRunPolicy.DEFAULTS;
        Duration noCap = Duration.ofHours(1);
        CompactionRunPolicy a = CompactionHandler.policy(base.withBudget(
                CompactionHandler.budget(Duration.ofMillis(899_990), noCap, null)));
        CompactionRunPolicy b = CompactionHandler.policy(base.withBudget(
                CompactionHandler.budget(Duration.ofMillis(899_410), noCap, null)));
        assertThat(a).isEqualTo(b);
        assertThat(a.budget()).isEqualTo(Duration.ofSeconds(830));
    }

    @Test
    void theFunctionWaitsForALeaseToExpireOnlyWhenWorkTimeRemainsAfterTheWait() {
        CompactionRunPolicy base = CompactionRunPolicy.DEFAULTS;
        Duration full = base.leaseDuration().plus(base.safetyMargin()).plus(CompactionHandler.WAIT_SLACK);
        assertThat(full).isEqualTo(Duration.ofSeconds(145));
        assertThat(CompactionHandler.policy(base.withBudget(CAP)).leaseWait()).isEqualTo(full);
        assertThat(CompactionHandler.policy(base.withBudget(full.plus(Duration.ofMinutes(1)))).leaseWait())
                .isEqualTo(full);
        assertThat(CompactionHandler.policy(base.withBudget(Duration.ofMinutes(3))).leaseWait()).isZero();
    }

    @Test
    void remainingTimesBeyondLambdasLimitsAreNoDeadline() {
        assertThat(CompactionHandler.remaining(new FakeContext(120_000))).isEqualTo(Duration.ofMinutes(2));
        assertThat(CompactionHandler.remaining(new FakeContext(0))).isNull();
        assertThat(CompactionHandler.remaining(new FakeContext(-5))).isNull();
        assertThat(CompactionHandler.remaining(new FakeContext(900_001))).isNull();
        assertThat(CompactionHandler.remaining(null)).isNull();
    }

    @Test
    void theEventMayLowerTheBudget() {
        assertThat(CompactionHandler.override(Map.of("detail-type", "Scheduled Event"))).isNull();
        assertThat(CompactionHandler.override(null)).isNull();
        assertThat(CompactionHandler.override(Map.of("budgetSeconds", 90))).isEqualTo(Duration.ofSeconds(90));
        assertThat(CompactionHandler.override(Map.of("budgetSeconds", 1.5))).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> CompactionHandler.override(Map.of("budgetSeconds", "soon")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> CompactionHandler.override(Map.of("budgetSeconds", 0)))
                .isInstanceOf(InvalidRequestException.class);
    }
}
