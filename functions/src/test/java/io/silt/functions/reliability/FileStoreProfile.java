package io.silt.functions.reliability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The service over a filesystem store in a fresh directory ({@link #ROOT}, inside an otherwise empty one). */
public class FileStoreProfile implements QuarkusTestProfile {
    static final Path OUTER;
    static final Path ROOT;

    static {
        try {
            OUTER = Files.createTempDirectory("silt-hostile-");
            ROOT = OUTER.resolve("store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("silt.store", "file:" + ROOT);
    }
}
