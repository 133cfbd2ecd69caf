package io.silt.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void parsesTheTypesTheServiceSends() {
        Map<String, Object> o = Json.parseObject(" {\"name\":\"orders\",\"partitions\":3,\"retentionMs\":null,"
                + "\"rate\":0.5,\"big\":1e3,\"ok\":true,\"list\":[1,\"a\",{}],\"esc\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\"} ");
        assertThat(o).containsEntry("name", "orders").containsEntry("partitions", 3L).containsEntry("retentionMs", null)
                .containsEntry("rate", 0.5).containsEntry("big", 1000.0).containsEntry("ok", true)
                .containsEntry("esc", "a\"b\\c\né\uD83D\uDE00");
        assertThat(o.get("list")).isEqualTo(List.of(1L, "a", Map.of()));
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("99999999999999999999")).isEqualTo(1e20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1 2]", "01", "1.", "\"\u0001\"", "\"\\ud83d\"", "tru", "{} x",
            "{\"a\" 1}", "\"\\x\""})
    void rejectsMalformedJson(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON");
    }

    @Test
    void rejectsDeepNesting() {
        char[] open = new char[Json.MAX_DEPTH + 2];
        Arrays.fill(open, '[');
        assertThatThrownBy(() -> Json.parse(new String(open))).hasMessageContaining("nested deeper");
    }

    @Test
    void writesWhatItReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"\\\n\t\u0001é");
        m.put("n", 42);
        m.put("d", 0.25);
        m.put("null", null);
        m.put("list", List.of(true, false, 7L));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"s\":\"q\\\"\\\\\\n\\t\\u0001é\",\"n\":42,\"d\":0.25,\"null\":null,"
                + "\"list\":[true,false,7]}");
        Map<String, Object> back = Json.parseObject(text);
        assertThat(back).containsEntry("s", "q\"\\\n\t\u0001é").containsEntry("n", 42L).containsEntry("d", 0.25);
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
