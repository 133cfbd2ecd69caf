package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(RetryPolicy.DEFAULT).isEqualTo(
                new RetryPolicy(Duration.ofMillis(50), Duration.ofSeconds(2), 8, Duration.ofSeconds(30)));
        assertThat(RetryPolicy.NO_RETRIES.maxAttempts()).isEqualTo(1);
    }

    @Test
    void ceilingDoublesFromTheBaseUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(p.backoffCeiling(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoffCeiling(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoffCeiling(6)).isEqualTo(Duration.ofMillis(1600));
        assertThat(p.backoffCeiling(7)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoffCeiling(64)).isEqualTo(Duration.ofSeconds(2));       // no overflow
        assertThat(p.backoffCeiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.withBaseDelay(Duration.ZERO).backoffCeiling(5)).isZero();
    }

    @Test
    void delaysAreFullJitterBelowTheCeilingAndReproducibleWithASeed() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int retry = 1; retry <= 20; retry++) {
            Duration d = p.backoffDelay(retry, a);
            assertThat(d).isEqualTo(p.backoffDelay(retry, b));
            assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(p.backoffCeiling(retry));
        }
    }

    @Test
    void rejectsNonsense() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new RetryPolicy(s.negated(), s, 3, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(s, Duration.ofMillis(1), 3, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new RetryPolicy(s, s, 0, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(s, s, 3, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.backoffCeiling(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
