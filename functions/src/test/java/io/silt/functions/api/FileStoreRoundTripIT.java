package io.silt.functions.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The service on a {@code file:} store in a temporary directory. */
@QuarkusTest
@TestProfile(FileStoreRoundTripIT.OnFiles.class)
class FileStoreRoundTripIT extends StoreRoundTripContract {
    public static class OnFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("silt.store", "file:" + Files.createTempDirectory("silt-rest-it-").toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
