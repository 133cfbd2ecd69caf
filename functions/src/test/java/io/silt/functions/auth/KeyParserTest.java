package io.silt.functions.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyParserTest {

    @Test
    void specEntriesGrantWhatTheySay() {
        List<ApiKey> keys = KeyParser.parseSpec("""
                app:app-secret-1:produce=orders,logs-*;consume=*;admin=
                ops:sha256:%s:admin=*;groups=billing
                """.formatted(HexFormat.of().formatHex(KeyParser.sha256("ops-secret-2"))));

        ApiKey app = keys.get(0);
        assertThat(app.name()).isEqualTo("app");
        assertThat(app.secretHash()).isEqualTo(KeyParser.sha256("app-secret-1"));
        assertThat(app.allows(Permission.PRODUCE, Resource.topic("orders"))).isTrue();
        assertThat(app.allows(Permission.PRODUCE, Resource.topic("logs-eu"))).isTrue();
        assertThat(app.allows(Permission.PRODUCE, Resource.topic("payments"))).isFalse();
        assertThat(app.allows(Permission.CONSUME, Resource.topic("payments"))).isTrue();
        assertThat(app.allows(Permission.ADMIN, Resource.topic("orders"))).isFalse();
        assertThat(app.allows(Permission.CONSUME, Resource.group("billing"))).isFalse();

        ApiKey ops = keys.get(1);
        assertThat(ops.secretHash()).isEqualTo(KeyParser.sha256("ops-secret-2"));
        assertThat(ops.allows(Permission.ADMIN, Resource.topic("anything"))).isTrue();
        assertThat(ops.allows(Permission.CONSUME, Resource.group("billing"))).isTrue();
        assertThat(ops.allows(Permission.CONSUME, Resource.topic("orders"))).isFalse();
    }

    @Test
    void errorsNeverQuoteTheSecret() {
        assertThatThrownBy(() -> KeyParser.parseSpec("app:top-secret-value:bogus=orders"))
                .hasMessageContaining("app").hasMessageNotContaining("top-secret-value");
        assertThatThrownBy(() -> KeyParser.parseSpec("top-secret-value"))
                .hasMessageNotContaining("top-secret-value");
        assertThatThrownBy(() -> KeyParser.parseSpec("app:short:consume=*")).hasMessageContaining("8 characters");
    }

    @Test
    void aKeysFileIsJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, """
                {"keys":[{"name":"svc","secret":"svc-secret-1","produce":["orders"],"consume":[],"groups":["g-*"]}]}
                """);

        List<ApiKey> keys = KeyParser.parseFile(file, new ObjectMapper());

        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.allows(Permission.PRODUCE, Resource.topic("orders"))).isTrue();
            assertThat(k.allows(Permission.CONSUME, Resource.topic("orders"))).isFalse();
            assertThat(k.allows(Permission.CONSUME, Resource.group("g-1"))).isTrue();
        });
    }

    @Test
    void authIsOnByDefaultOnlyInLambda() {
        assertThat(ApiKeys.mode(Optional.empty(), Map.of())).isEqualTo("off");
        assertThat(ApiKeys.mode(Optional.empty(), Map.of("AWS_LAMBDA_FUNCTION_NAME", "silt-produce")))
                .isEqualTo("keys");
        assertThat(ApiKeys.mode(Optional.of("off"), Map.of("AWS_LAMBDA_FUNCTION_NAME", "x"))).isEqualTo("off");
        assertThatThrownBy(() -> ApiKeys.mode(Optional.of("maybe"), Map.of())).hasMessageContaining("off or keys");
    }
}
