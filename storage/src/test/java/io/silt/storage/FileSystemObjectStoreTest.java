package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.internal.FsKeyCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract with fsync off ({@link FileSystemObjectStoreFsyncTest} runs it with fsync on) plus what is
 * particular to the filesystem store: the key-to-path mapping, the root, corrupt files, temporary files, the clock, ranges.
 */
class FileSystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected ObjectStore newStore() {
        return new FileSystemObjectStore(tmp.resolve("store"),
                FileSystemObjectStore.Options.defaults().withFsync(false));
    }

    private FileSystemObjectStore fs() {
        return (FileSystemObjectStore) store;
    }

    private Path root() {
        return fs().root();
    }

    // ---------------------------------------------------------------- mapping

    @Test
    void keysMapToEncodedPathsWhereAKeyAndKeysBelowItCoexist() {
        store.put("a/b", bytes("parent"));
        store.put("a/b/c", bytes("child"));
        assertThat(root().resolve("a~d/b")).isRegularFile();
        assertThat(root().resolve("a~d/b~d/c")).isRegularFile();
        store.put("x y/100%/~t", bytes("v"));
        assertThat(root().resolve("x%20y~d/100%25~d/%7Et")).isRegularFile();
        store.put("uni/é", bytes("v"));
        assertThat(root().resolve("uni~d/%C3%A9")).isRegularFile();
    }

    @Test
    void hostileKeysNeverEscapeTheRoot() throws IOException {
        List<String> keys = List.of("%2e%2e/x", "%2e%2e", "a..b", "..a/b", "a../b", "...", ".../...", "x/.hidden",
                "\u2024\u2024/up", "\uFF0E\uFF0E/\uFF0Fetc", "a\\..\\b", "..\\..\\evil", "~tmp/x", "~tmp",
                "x~d/y", "x~d", "%", "%%/%", "a:b/c*d?e", "\u202E/rtl", "\uD83D\uDE00/\uD83D\uDE00");
        for (String k : keys) {
            store.put(k, bytes("v:" + k));
        }
        for (String k : keys) {
            assertThat(store.get(k).orElseThrow().bytes()).as(k).isEqualTo(bytes("v:" + k));
        }
        assertThat(store.listAll("").stream().map(ObjectInfo::key).toList())
                .containsExactlyElementsOf(keys.stream().sorted(ObjectKeys.ORDER).toList());

        Path realRoot = root().toRealPath();
        Path outside = tmp.toRealPath();
        try (Stream<Path> all = Files.walk(outside)) {
            for (Path p : all.toList()) {
                if (p.equals(outside) || p.equals(realRoot)) {
                    continue;
                }
                assertThat(p.toRealPath().startsWith(realRoot)).as("%s is under the root", p).isTrue();
                String name = p.getFileName().toString();
                assertThat(name).as("name of %s", p).matches("[A-Za-z0-9._%-]+(~d)?|~tmp");
            }
        }
        try (Stream<Path> top = Files.list(outside)) {
            assertThat(top.toList()).containsExactly(root());
        }
        // the reserved temp directory is not a key and not listed
        assertThat(store.get("~tmp").orElseThrow().bytes()).isEqualTo(bytes("v:~tmp"));
        assertThat(root().resolve("%7Etmp")).isRegularFile();
    }

    @Test
    void segmentsTooLongForAFileNameAreRejectedAsAFilesystemLimit() {
        String longSegment = "x".repeat(FsKeyCodec.MAX_ENCODED_SEGMENT + 1);
        assertThatThrownBy(() -> store.put("k/" + longSegment, bytes("x")))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("limit of the filesystem store");
        assertThatThrownBy(() -> store.putIfAbsent("é".repeat(81) + "/k", bytes("x")))  // 162 bytes, 486 encoded
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("filesystem store");
        String maxSegment = "x".repeat(FsKeyCodec.MAX_ENCODED_SEGMENT);
        store.put(maxSegment + "/" + maxSegment, bytes("ok"));
        assertThat(store.get(maxSegment + "/" + maxSegment).orElseThrow().bytes()).isEqualTo(bytes("ok"));
        assertThat(store.list("k/" + longSegment, null, 10).objects()).isEmpty();
        assertThat(store.list(longSegment + "/", null, 10).objects()).isEmpty();
    }

    @Test
    void codecRoundTripsAndRejectsNonCanonicalNames() {
        for (String s : List.of("a", "A-z_0.9", "...", "%", "~", "~d", "sp ace", "é", "日本", "\uD83D\uDE00", "a+b")) {
            String enc = FsKeyCodec.encodeSegment(s, s);
            assertThat(enc).as(s).matches("[A-Za-z0-9._%-]+");
            assertThat(FsKeyCodec.decodeSegment(enc)).as(s).isEqualTo(s);
            assertThat(FsKeyCodec.decodeDirectory(enc + FsKeyCodec.DIR_SUFFIX)).as(s).isEqualTo(s);
            assertThat(FsKeyCodec.decodeDirectory(enc)).as(s).isNull();
        }
        for (String bad : List.of("", "%61", "%c3%a9", "%C3", "%ZZ", "%4", "a~b", "~tmp", "a b", "é", ".", "..",
                "%2E", "%2F")) {
            assertThat(FsKeyCodec.decodeSegment(bad)).as(bad).isNull();
        }
    }

    @Test
    void strayFilesInTheRootAreIgnoredByListing() throws IOException {
        store.put("k/one", bytes("1"));
        Files.writeString(root().resolve("README.txt~"), "not an object");
        Files.createDirectories(root().resolve("lost+found"));
        Files.writeString(root().resolve("k~d").resolve("%zz"), "not an object");
        Files.createDirectories(root().resolve("k~d").resolve("two"));   // a directory without ~d
        Files.createDirectories(root().resolve("empty~d/deeper~d"));      // empty directories
        assertThat(store.listAll("").stream().map(ObjectInfo::key).toList()).containsExactly("k/one");
    }

    // ---------------------------------------------------------------- root

    @Test
    void rootIsCreatedIfMissing() {
        Path nested = tmp.resolve("a/b/c");
        FileSystemObjectStore s = new FileSystemObjectStore(nested, FileSystemObjectStore.Options.defaults());
        assertThat(nested).isDirectory();
        assertThat(nested.resolve(FsKeyCodec.TEMP_DIR)).isDirectory();
        assertThat(s.describe()).isEqualTo("file:" + nested.toAbsolutePath());
        s.put("x", bytes("y"));
        assertThat(s.get("x").orElseThrow().bytes()).isEqualTo(bytes("y"));
    }

    @Test
    void describeNamesTheAbsoluteRoot() {
        assertThat(store.describe()).isEqualTo("file:" + tmp.resolve("store").toAbsolutePath());
    }

    @Test
    void rootThatIsARegularFileIsAConfigurationError() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> new FileSystemObjectStore(file))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new FileSystemObjectStore(file.resolve("below")))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageContaining("below");
    }

    @Test
    void twoStoresOnOneRootSeeEachOther() {
        FileSystemObjectStore other = new FileSystemObjectStore(root(), FileSystemObjectStore.Options.defaults()
                .withFsync(false));
        store.put("shared/k", bytes("from one"));
        assertThat(other.get("shared/k").orElseThrow().bytes()).isEqualTo(bytes("from one"));
        assertThat(other.putIfAbsent("shared/k", bytes("from two"))).isInstanceOf(CreateResult.AlreadyExists.class);
    }

    // ---------------------------------------------------------------- corruption

    @Test
    void aFileWithABadHeaderIsReportedNamingTheKeyAndPath() throws IOException {
        store.put("c/bad", bytes("good body"));
        Path file = root().resolve("c~d/bad");
        Files.write(file, bytes("garbage, not an object file at all"));
        for (Runnable op : List.<Runnable>of(() -> store.get("c/bad"), () -> store.head("c/bad"),
                () -> store.get("c/bad", ByteRange.of(0, 2)), () -> store.getIfChanged("c/bad", "\"x\""),
                () -> store.listAll("c/"))) {
            assertThatThrownBy(op::run)
                    .isExactlyInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("c/bad")
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("corrupt");
        }
        // still replaceable and deletable
        store.put("c/bad", bytes("fixed"));
        assertThat(store.get("c/bad").orElseThrow().bytes()).isEqualTo(bytes("fixed"));
    }

    @Test
    void aTruncatedOrFlippedFileIsReported() throws IOException {
        byte[] body = new byte[10_000];
        new Random(1).nextBytes(body);
        store.put("c/trunc", body, Map.of("k", "v"));
        Path file = root().resolve("c~d/trunc");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 1);
        }
        assertThatThrownBy(() -> store.get("c/trunc")).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("c/trunc").hasMessageContaining("truncated");

        store.put("c/flip", bytes("body"), Map.of("k", "v"));
        Path flip = root().resolve("c~d/flip");
        byte[] raw = Files.readAllBytes(flip);
        raw[20] ^= 0x01; // inside the lastModified field: only the CRC notices
        Files.write(flip, raw);
        assertThatThrownBy(() -> store.head("c/flip")).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("c/flip").hasMessageContaining("checksum");

        Files.write(flip, new byte[0]);
        assertThatThrownBy(() -> store.get("c/flip")).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("c/flip");
    }

    // ---------------------------------------------------------------- temp files

    @Test
    void staleTempFilesAreDeletedAtOpenAndFreshOnesAreKept() throws IOException {
        Path temps = root().resolve(FsKeyCodec.TEMP_DIR);
        Path stale = Files.writeString(temps.resolve("1234-1-1-dead.tmp"), "half an object");
        Path fresh = Files.writeString(temps.resolve("1234-1-2-live.tmp"), "being written");
        Path almost = Files.writeString(temps.resolve("1234-1-3-almost.tmp"), "being written slowly");
        Instant now = Instant.now();
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofMinutes(11))));
        Files.setLastModifiedTime(fresh, FileTime.from(now.minus(Duration.ofSeconds(5))));
        Files.setLastModifiedTime(almost, FileTime.from(now.minus(Duration.ofMinutes(9))));

        new FileSystemObjectStore(root(), FileSystemObjectStore.Options.defaults().withFsync(false));

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(almost).exists();
    }

    @Test
    void writesLeaveNoTempFilesBehind() throws IOException {
        store.put("t/1", bytes("a"));
        store.putIfAbsent("t/2", bytes("b"));
        store.putIfAbsent("t/2", bytes("c"));
        store.put("t/1", bytes("d"));
        try (Stream<Path> temps = Files.list(root().resolve(FsKeyCodec.TEMP_DIR))) {
            assertThat(temps.toList()).isEmpty();
        }
    }

    @Test
    void aRemovedTempDirectoryIsMadeAgain() throws IOException {
        Files.delete(root().resolve(FsKeyCodec.TEMP_DIR));
        store.put("t/again", bytes("x"));
        assertThat(store.get("t/again")).isPresent();
    }

    // ---------------------------------------------------------------- clock, etag, metadata

    @Test
    void lastModifiedComesFromTheInjectedClock() {
        Instant t = Instant.parse("2031-02-03T04:05:06.789Z");
        FileSystemObjectStore s = new FileSystemObjectStore(tmp.resolve("clocked"),
                FileSystemObjectStore.Options.defaults().withFsync(false).withClock(Clock.fixed(t, ZoneOffset.UTC)));
        ObjectInfo w = s.put("k/1", bytes("x"));
        assertThat(w.lastModified()).isEqualTo(t);
        assertThat(s.head("k/1").orElseThrow().lastModified()).isEqualTo(t);
        assertThat(((CreateResult.Created) s.putIfAbsent("k/2", bytes("y"))).info().lastModified()).isEqualTo(t);
        assertThat(s.list("k/", null, 10).objects()).extracting(ObjectInfo::lastModified).containsOnly(t);

        Clock nanos = Clock.fixed(Instant.parse("2031-02-03T04:05:06.789123456Z"), ZoneOffset.UTC);
        FileSystemObjectStore n = new FileSystemObjectStore(tmp.resolve("clocked"),
                FileSystemObjectStore.Options.defaults().withFsync(false).withClock(nanos));
        ObjectInfo w2 = n.put("k/3", bytes("z"));
        assertThat(n.head("k/3").orElseThrow()).isEqualTo(w2);  // millisecond precision, same on write and read
    }

    @Test
    void etagCarriesTheBodysCrcAndChangesWithEveryWrite() {
        ObjectInfo info = store.put("e/k", bytes("hello"));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes("hello"));
        assertThat(info.etag()).startsWith("\"" + String.format("%08x", crc.getValue()) + "-").endsWith("\"");
        ObjectInfo read = store.head("e/k").orElseThrow();
        assertThat(read).isEqualTo(info);
        ObjectInfo again = store.put("e/k", bytes("hello"));
        assertThat(again.etag()).isNotEqualTo(info.etag());
    }

    @Test
    void metadataAndBodyStayTogetherAcrossOverwrites() {
        store.put("m/k", bytes("one"), Map.of("silt-token", "t1", "x", "1"));
        store.put("m/k", bytes("two"), Map.of("silt-token", "t2"));
        ObjectData d = store.get("m/k").orElseThrow();
        assertThat(d.bytes()).isEqualTo(bytes("two"));
        assertThat(d.info().metadata()).isEqualTo(Map.of("silt-token", "t2"));
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void rangedReadsOfALargeObjectAreExactAtTheBoundaries() {
        int size = 3 * 1024 * 1024 + 5;
        byte[] data = new byte[size];
        new Random(3).nextBytes(data);
        store.put("big/obj", data, Map.of("meta", "x".repeat(1500))); // a header longer than the first read
        checkRange(ByteRange.of(0, 1), 0, 1, data);
        checkRange(ByteRange.of(size - 1, 1), size - 1, size, data);
        checkRange(ByteRange.of(size - 1, 1000), size - 1, size, data);
        checkRange(ByteRange.suffix(1), size - 1, size, data);
        checkRange(ByteRange.suffix(size + 10), 0, size, data);
        checkRange(ByteRange.from(1024 * 1024), 1024 * 1024, size, data);
        checkRange(ByteRange.of(1024 * 1024 - 1, 2), 1024 * 1024 - 1, 1024 * 1024 + 1, data);
        assertThatThrownBy(() -> store.get("big/obj", ByteRange.of(size, 1))).isInstanceOf(InvalidRangeException.class);
        assertThat(store.get("big/obj").orElseThrow().info().metadata().get("meta")).hasSize(1500);
    }

    private void checkRange(ByteRange r, long first, long end, byte[] data) {
        ObjectData d = store.get("big/obj", r).orElseThrow();
        assertThat(d.offset()).as(r.toString()).isEqualTo(first);
        assertThat(d.info().size()).as(r.toString()).isEqualTo(data.length);
        assertThat(d.bytes()).as(r.toString()).isEqualTo(Arrays.copyOfRange(data, (int) first, (int) end));
    }

    @Test
    void aRangedReadDoesNotTouchBytesOutsideTheRange() throws IOException {
        // Overwrite the body outside the range directly in the file: a reader that reads only the range cannot
        // tell; one that read (or checked) the whole body would.
        byte[] data = new byte[100_000];
        Arrays.fill(data, (byte) 'a');
        store.put("r/partial", data);
        Path file = root().resolve("r~d/partial");
        long headerLength = Files.size(file) - data.length;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(headerLength + 50_000);
            raf.write(new byte[10]);
        }
        assertThat(store.get("r/partial", ByteRange.of(49_990, 10)).orElseThrow().bytes()).containsOnly((byte) 'a');
        assertThat(store.get("r/partial", ByteRange.of(50_000, 10)).orElseThrow().bytes()).containsOnly((byte) 0);
        assertThat(store.get("r/partial", ByteRange.of(50_010, 10)).orElseThrow().bytes()).containsOnly((byte) 'a');
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listingPagesThroughADeepTreeInKeyOrder() {
        List<String> keys = new ArrayList<>();
        Random r = new Random(11);
        String[] parts = {"a", "a-", "a0", "ab", "b", "é", "a.b", "z", "A", "~", "%"};
        for (int i = 0; i < 300; i++) {
            StringBuilder k = new StringBuilder();
            int depth = 1 + r.nextInt(4);
            for (int d = 0; d < depth; d++) {
                if (d > 0) {
                    k.append('/');
                }
                k.append(parts[r.nextInt(parts.length)]);
            }
            keys.add(k.toString());
        }
        List<String> distinct = keys.stream().distinct().sorted(ObjectKeys.ORDER).toList();
        for (String k : distinct) {
            store.put(k, bytes(k));
        }
        InMemoryObjectStore reference = new InMemoryObjectStore();
        for (String k : distinct) {
            reference.put(k, bytes(k));
        }
        List<String> prefixes = List.of("", "a", "a/", "a/a", "a/a/", "a-", "é/", "z/a", "nope", "a/é/a/");
        List<String> starts = new ArrayList<>(Arrays.asList(null, "", "a", "a/", "a/a", "a/a/", "a/a/z", "a/b", "a0",
                "b/", "zzz", "\uFFFF"));
        starts.addAll(distinct.subList(0, 40));
        for (String p : prefixes) {
            for (String s : starts) {
                for (int max : new int[] {1, 3, 17, 1000}) {
                    ListPage mine = store.list(p, s, max);
                    ListPage ref = reference.list(p, s, max);
                    assertThat(mine.objects().stream().map(ObjectInfo::key).toList())
                            .as("prefix %s after %s max %d", p, s, max)
                            .isEqualTo(ref.objects().stream().map(ObjectInfo::key).toList());
                    assertThat(mine.truncated()).as("truncated: prefix %s after %s max %d", p, s, max)
                            .isEqualTo(ref.truncated());
                }
            }
        }
        ObjectInfo one = store.list("", null, 1).objects().get(0);
        assertThat(one.metadata()).isEmpty();
        assertThat(one.size()).isEqualTo(bytes(one.key()).length);
    }

    @Test
    void listingAfterDeletesSkipsEmptyDirectories() {
        for (int i = 0; i < 5; i++) {
            store.put("d/" + i + "/x", bytes("x"));
        }
        for (int i = 0; i < 4; i++) {
            store.delete("d/" + i + "/x");
        }
        assertThat(store.list("d/", null, 1).objects()).extracting(ObjectInfo::key).containsExactly("d/4/x");
        assertThat(store.list("d/", null, 1).truncated()).isFalse();
    }
}
