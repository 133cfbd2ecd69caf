package io.silt.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.infra.SiltSettings.AuthMode;
import org.junit.jupiter.api.Test;

/** The knobs are checked before anything is synthesized, with messages that say what is expected. */
class SiltSettingsTest {
    private static SiltSettings settings(String stage, String bucket, boolean existing, String prefix, int memory,
                                         AuthMode mode, String keys) {
        return new SiltSettings(stage, bucket, existing, prefix, memory, 1024, SiltSettings.Api.HTTP, mode, keys,
                "f.zip", 5, 1, null);
    }

    @Test
    void thePrefixGetsItsTrailingSlash() {
        assertThat(settings("dev", null, false, "data/silt", 512, AuthMode.KEYS, null).prefix())
                .isEqualTo("data/silt/");
        assertThat(settings("dev", null, false, "", 512, AuthMode.KEYS, null).prefix()).isEmpty();
    }

    @Test
    void badValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> settings("no spaces", null, false, "silt/", 512, AuthMode.KEYS, null))
                .hasMessageContaining("stage");
        assertThatThrownBy(() -> settings("dev", null, false, "/silt", 512, AuthMode.KEYS, null))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> settings("dev", null, true, "silt/", 512, AuthMode.KEYS, null))
                .hasMessageContaining("existingBucket=true needs bucketName");
        assertThatThrownBy(() -> settings("dev", null, false, "silt/", 64, AuthMode.KEYS, null))
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> settings("dev", null, false, "silt/", 512, AuthMode.IAM, "a:b:produce=*"))
                .hasMessageContaining("authKeys is only used with authMode=keys");
        assertThatThrownBy(() -> new SiltSettings("dev", null, false, "silt/", 512, 1024, SiltSettings.Api.HTTP,
                AuthMode.KEYS, null, "f.zip", 0, 1, null)).hasMessageContaining("compactionMinutes");
        assertThatThrownBy(() -> AuthMode.of("basic")).hasMessage("authMode must be one of keys, iam, off, not 'basic'");
        assertThat(AuthMode.of(" IAM ")).isEqualTo(AuthMode.IAM);
        assertThatThrownBy(() -> SiltSettings.Api.of("rest")).hasMessage("api must be one of http, url, not 'rest'");
        assertThat(SiltSettings.Api.of("url")).isEqualTo(SiltSettings.Api.URL);
    }
}
