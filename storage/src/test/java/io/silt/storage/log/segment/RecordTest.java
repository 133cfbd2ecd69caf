package io.silt.storage.log.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTest {

    @Test
    void equalityComparesArrayContents() {
        Record a = new Record(new byte[] {1, 2}, new byte[] {3}, List.of(new Header("h", new byte[] {4})), 10);
        Record b = new Record(new byte[] {1, 2}, new byte[] {3}, List.of(new Header("h", new byte[] {4})), 10);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Record(new byte[] {1, 2}, new byte[] {9}, a.headers(), 10));
        assertThat(a).isNotEqualTo(new Record(new byte[] {1, 2}, new byte[] {3}, List.of(), 10));
        assertThat(a).isNotEqualTo(new Record(new byte[] {1, 2}, new byte[] {3}, a.headers(), 11));
    }

    @Test
    void nullAndEmptyAreDistinct() {
        assertThat(Record.of(null, null, 0)).isNotEqualTo(Record.of(new byte[0], null, 0));
        assertThat(Record.of(null, null, 0)).isNotEqualTo(Record.of(null, new byte[0], 0));
        assertThat(Record.of(null, null, 0)).isEqualTo(Record.of(null, null, 0));
        assertThat(new Header("a", null)).isNotEqualTo(new Header("a", new byte[0]));
    }

    @Test
    void nullHeadersMeanNoneAndTheListIsImmutable() {
        Record r = new Record(null, null, null, 0);
        assertThat(r.headers()).isEmpty();
        List<Header> mutable = new ArrayList<>(List.of(new Header("a", null)));
        Record s = new Record(null, null, mutable, 0);
        mutable.clear();
        assertThat(s.headers()).hasSize(1);
        assertThatThrownBy(() -> s.headers().add(new Header("b", null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Record.of(null, null, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new Header(null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Header("bad\uD800", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
        List<Header> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new Record(null, null, withNull, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringShowsSizesNotContents() {
        assertThat(Record.of(new byte[3], null, 5).toString()).contains("3 bytes").contains("null");
    }
}
