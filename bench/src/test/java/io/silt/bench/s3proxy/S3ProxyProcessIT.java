package io.silt.bench.s3proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.CreateResult;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts S3Proxy in its own JVM and writes and reads through the store URI it hands out. */
class S3ProxyProcessIT {
    @TempDir
    Path dir;

    @Test
    void servesCreateOnlyWritesAndReadsInAChildProcessAndStopsOnClose() throws Exception {
        long pid;
        try (S3ProxyProcess s3 = S3ProxyProcess.start(dir)) {
            pid = s3.pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
            String uri = s3.storeUri("peers", "run/1");
            assertThat(uri).startsWith("s3://peers/run/1?endpoint=" + s3.endpoint());
            s3.createBucket("peers");

            byte[] data = "hello from another JVM".getBytes(StandardCharsets.UTF_8);
            try (ObjectStore store = ObjectStores.open(uri, s3.environment())) {
                assertThat(store.putIfAbsent("k", data)).isInstanceOf(CreateResult.Created.class);
                assertThat(store.putIfAbsent("k", new byte[] {1})).isInstanceOf(CreateResult.AlreadyExists.class);
                Optional<ObjectData> read = store.get("k");
                assertThat(read).isPresent();
                assertThat(read.get().bytes()).isEqualTo(data);
            }
            // The bytes are S3Proxy's files under dir/data, with the prefix in the key.
            try (var files = Files.walk(dir.resolve("data/peers"))) {
                assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                        .contains("k");
            }
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
