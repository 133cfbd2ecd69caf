package io.silt.client.internal;

import io.silt.storage.FileSystemObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The consumer-group tests on the embedded filesystem store (the manual clock stamps its objects). */
class GroupConsumerFileSystemTest extends GroupConsumerTest {
    @Override
    GroupFixture newFixture() {
        return new GroupFixture(clock -> {
            try {
                return new FileSystemObjectStore(Files.createTempDirectory("silt-group-"),
                        FileSystemObjectStore.Options.defaults().withClock(clock).withFsync(false));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
