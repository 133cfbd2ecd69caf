package io.silt.storage;

import io.silt.storage.internal.FsKeyCodec;
import io.silt.storage.internal.FsObjectHeader;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default store ({@code file:./silt-data}): each object is one file under a root directory.
 *
 * <p><b>Layout.</b> Keys map to paths by {@link FsKeyCodec}: {@code a/b/c} is the file {@code <root>/a~d/b~d/c}
 * and {@code a/b} the file {@code <root>/a~d/b}, so a key and the keys below it coexist and no key can name a path
 * outside the root. Each file holds a small header ({@link FsObjectHeader}: ETag, lastModified, metadata) followed
 * by the body, so an object is created or replaced as a whole, atomically. The ETag is the body's CRC32C and a
 * process-unique write number (cheap: an MD5 took a third of the CPU of a fast producer); like every ETag it is
 * opaque, and changes with every write. Temporary files live in {@code <root>/~tmp}.
 *
 * <p><b>Writes.</b> Every write goes to a fresh temporary file first. A create-only write ({@link #putIfAbsent})
 * then hard-links it to the object's path: link creation fails atomically if the path exists, so exactly one
 * writer wins across threads <em>and processes</em> sharing the root. A plain {@link #put} renames the temporary
 * file over the object's path. Readers therefore see a whole old object or a whole new one, never a partial one.
 * The store needs a local POSIX filesystem with hard links and atomic rename (not NFS or SMB, where these are not
 * reliably atomic between machines). Empty directories are never removed (that would race a writer's link); a
 * listing ignores them.
 *
 * <p><b>Durability (fsync policy).</b> With {@link Options#fsync() fsync} on, the default, an acknowledged write
 * survives a crash or power loss, like an S3 acknowledgement: the temporary file is forced to disk before it is
 * linked or renamed, and the parent directory (and any directory the write created) is forced after. A delete
 * forces the parent directory too. With fsync off, writes are still atomic and visible to every process at once,
 * but the last writes before a power loss (not a process crash) may be lost; use it for tests and benchmarks only.
 *
 * <p><b>Recovery.</b> A process killed mid-write leaves a temporary file; opening a store deletes temporary files
 * older than {@link #STALE_TEMP_AGE} (a live writer's temporary file is younger).
 *
 * <p><b>Limits</b> of this store (stricter than S3's): an encoded key segment is at most 240 bytes
 * ({@link FsKeyCodec#MAX_ENCODED_SEGMENT}) and the whole path at most 4095 bytes; such keys get an
 * {@link InvalidKeyException}. Keys are case-sensitive, so the root must be on a case-sensitive filesystem.
 *
 * <p>A corrupt or truncated object file is reported as an {@link ObjectStoreException} naming the key and the
 * path, never returned as data. I/O failures are {@link StoreUnavailableException}s ({@code IO}) naming the path.
 */
public final class FileSystemObjectStore implements ObjectStore {
    /** Temporary files older than this are left by dead writers and are deleted when a store is opened. */
    public static final Duration STALE_TEMP_AGE = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(FileSystemObjectStore.class.getName());
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final Etags.WriteIds WRITE_IDS = new Etags.WriteIds();

    /**
     * How the store writes.
     *
     * @param fsync force files and directories to disk before a write is acknowledged (default on)
     * @param clock stamps {@link ObjectInfo#lastModified()} (millisecond precision); default the system UTC clock
     */
    public record Options(boolean fsync, Clock clock) {
        public Options {
            Objects.requireNonNull(clock, "clock");
        }

        /** fsync on, system UTC clock. */
        public static Options defaults() {
            return new Options(true, Clock.systemUTC());
        }

        public Options withFsync(boolean on) {
            return new Options(on, clock);
        }

        public Options withClock(Clock c) {
            return new Options(fsync, c);
        }
    }

    private final Path root;
    private final Path tempDir;
    private final boolean fsync;
    private final Clock clock;

    /** Opens (creating if needed) a store under {@code root} with fsync on and the system clock. */
    public FileSystemObjectStore(Path root) {
        this(root, Options.defaults());
    }

    /**
     * Opens (creating if needed) a store under {@code root}, and deletes stale temporary files.
     *
     * @throws StoreConfigurationException if the root cannot be created or is not a writable directory
     */
    public FileSystemObjectStore(Path root, Options options) {
        this.root = root.toAbsolutePath().normalize();
        this.tempDir = this.root.resolve(FsKeyCodec.TEMP_DIR);
        this.fsync = options.fsync();
        this.clock = options.clock();
        prepareRoot();
        cleanStaleTempFiles();
    }

    /** The absolute root directory. */
    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<ObjectData> get(String key) {
        Path path = pathOf(key);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            FsObjectHeader h = readHeader(key, path, ch);
            return Optional.of(new ObjectData(info(key, h), 0, readBody(key, path, ch, h, 0, h.bodyLength())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ioError("read object '" + key + "'", path, e);
        }
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        Objects.requireNonNull(range, "range");
        Path path = pathOf(key);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            FsObjectHeader h = readHeader(key, path, ch);
            ObjectInfo info = info(key, h);
            if (h.bodyLength() == 0) {
                return Optional.of(new ObjectData(info, 0, new byte[0]));
            }
            long[] bounds = range.resolve(key, h.bodyLength());
            return Optional.of(new ObjectData(info, bounds[0], readBody(key, path, ch, h, bounds[0], bounds[1])));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ioError("read object '" + key + "'", path, e);
        }
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        Path path = pathOf(key);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            FsObjectHeader h = readHeader(key, path, ch);
            if (h.etag().equals(etag)) {
                return ConditionalGet.NOT_MODIFIED;
            }
            byte[] body = readBody(key, path, ch, h, 0, h.bodyLength());
            return new ConditionalGet.Modified(new ObjectData(info(key, h), 0, body));
        } catch (NoSuchFileException e) {
            return ConditionalGet.NOT_FOUND;
        } catch (IOException e) {
            throw ioError("read object '" + key + "'", path, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        Path path = pathOf(key);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return Optional.of(info(key, readHeader(key, path, ch)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ioError("read object '" + key + "'", path, e);
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        Path target = pathOf(key);
        ObjectKeys.validateMetadata(metadata);
        Staged staged = stage(key, data, metadata);
        try {
            ensureDirectory(target.getParent());
            moveReplacing(staged.temp, target);
        } catch (IOException e) {
            deleteTemp(staged.temp);
            throw ioError("write object '" + key + "'", target, e);
        }
        if (fsync) {
            try {
                forceDirectory(target.getParent());
            } catch (IOException e) {
                throw ioError("make object '" + key + "' durable (it is written but may not survive a power loss)",
                        target, e);
            }
        }
        return staged.info;
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        Path target = pathOf(key);
        ObjectKeys.validateMetadata(metadata);
        if (Files.exists(target)) {
            // a lost race costs no staged copy and no fsync; when the key is absent here, the link still decides
            return CreateResult.ALREADY_EXISTS;
        }
        Staged staged = stage(key, data, metadata);
        try {
            try {
                ensureDirectory(target.getParent());
                Files.createLink(target, staged.temp);
            } catch (FileAlreadyExistsException e) {
                return CreateResult.ALREADY_EXISTS;
            } catch (IOException | UnsupportedOperationException e) {
                // link(2) either makes the link or fails without a trace: nothing was written
                throw ioError("create object '" + key + "' (hard link from " + staged.temp + ")", target, e);
            }
            if (fsync) {
                try {
                    forceDirectory(target.getParent());
                } catch (IOException e) {
                    // the object is visible but may not be durable: the caller must read it back
                    return new CreateResult.Unknown(ioError("make object '" + key + "' durable", target, e));
                }
            }
            return new CreateResult.Created(staged.info);
        } finally {
            deleteTemp(staged.temp);
        }
    }

    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        try {
            if (Files.deleteIfExists(path) && fsync) {
                forceDirectory(path.getParent());
            }
        } catch (NoSuchFileException e) {
            // a parent directory is missing: nothing to delete
        } catch (IOException e) {
            throw ioError("delete object '" + key + "'", path, e);
        }
    }

    // ---------------------------------------------------------------- list

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        String p = ObjectKeys.validatePrefix(prefix);
        if (maxKeys < 1 || maxKeys > ListPage.MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1 to " + ListPage.MAX_KEYS + ", was " + maxKeys);
        }
        int slash = p.lastIndexOf('/');
        String folder = p.substring(0, slash + 1);          // "p/a/" of "p/a/b"
        String namePrefix = p.substring(slash + 1);          // "b"
        String[] segments = folder.isEmpty() ? new String[0] : folder.split("/");
        Path dir = FsKeyCodec.directoryPath(root, segments, segments.length);
        List<ObjectInfo> found = new ArrayList<>();
        if (dir != null) {
            walk(dir, folder, namePrefix, startAfter, maxKeys + 1, found);
        }
        if (found.size() > maxKeys) {
            return new ListPage(found.subList(0, maxKeys), true);
        }
        return new ListPage(found, false);
    }

    /** A directory entry: a file named {@code segment}, or a directory sorting as {@code segment + "/"}. */
    private record Child(String name, String segment, boolean directory, String sortKey) {}

    private static final Comparator<Child> CHILD_ORDER = (a, b) -> ObjectKeys.compareUtf8(a.sortKey, b.sortKey);

    /**
     * Adds the keys under {@code dir} (whose keys all start with {@code keyPrefix}) in key order, skipping what is
     * not after {@code startAfter}; returns true once {@code limit} keys are found.
     */
    private boolean walk(Path dir, String keyPrefix, String namePrefix, String startAfter, int limit,
            List<ObjectInfo> out) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Child c = child(entry.getFileName().toString());
                if (c == null || !c.segment.startsWith(namePrefix)) {
                    continue;
                }
                String full = keyPrefix + c.sortKey;
                if (startAfter != null && ObjectKeys.compareUtf8(full, startAfter) <= 0
                        && !(c.directory && startAfter.startsWith(full))) {
                    continue; // the key, or every key of the subtree, is not after startAfter
                }
                children.add(c);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw ioError("list directory", dir, e);
        }
        children.sort(CHILD_ORDER);
        for (Child c : children) {
            Path path = dir.resolve(c.name);
            if (c.directory) {
                if (walk(path, keyPrefix + c.sortKey, "", startAfter, limit, out)) {
                    return true;
                }
            } else {
                ObjectInfo info = listedInfo(keyPrefix + c.segment, path);
                if (info != null) {
                    out.add(info);
                    if (out.size() >= limit) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Child child(String name) {
        String dirSegment = FsKeyCodec.decodeDirectory(name);
        if (dirSegment != null) {
            return new Child(name, dirSegment, true, dirSegment + "/");
        }
        String fileSegment = FsKeyCodec.decodeSegment(name);
        if (fileSegment != null) {
            return new Child(name, fileSegment, false, fileSegment);
        }
        return null; // ~tmp, or a stray file that no key maps to
    }

    /** The listing entry for a file, or null if it vanished (deleted concurrently) or is a stray directory. */
    private ObjectInfo listedInfo(String key, Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            FsObjectHeader h = readHeader(key, path, ch);
            return new ObjectInfo(key, h.bodyLength(), h.etag(), Instant.ofEpochMilli(h.lastModifiedMillis()),
                    Map.of());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                LOG.log(Level.WARNING, "ignoring stray directory {0} in store {1}", path, describe());
                return null;
            }
            throw ioError("read object '" + key + "'", path, e);
        }
    }

    // ---------------------------------------------------------------- internals

    /** A body written to a temporary file, ready to be linked or moved into place. */
    private record Staged(Path temp, ObjectInfo info) {}

    private Path pathOf(String key) {
        ObjectKeys.validate(key);
        return FsKeyCodec.objectPath(root, key);
    }

    private Staged stage(String key, byte[] data, Map<String, String> metadata) {
        String etag = "\"" + Etags.crc32cHex(data) + "-" + WRITE_IDS.next() + "\"";
        Instant now = Instant.ofEpochMilli(clock.millis());
        byte[] header = FsObjectHeader.encode(data.length, now.toEpochMilli(), etag, metadata);
        Path temp = newTempPath();
        FileChannel channel;
        try {
            channel = openTemp(temp);
        } catch (IOException e) {
            throw ioError("create a temporary file for object '" + key + "'", temp, e);
        }
        try (FileChannel ch = channel) {
            ByteBuffer[] buffers = {ByteBuffer.wrap(header), ByteBuffer.wrap(data)};
            long total = header.length + (long) data.length;
            long written = 0;
            while (written < total) {
                written += ch.write(buffers);
            }
            if (fsync) {
                ch.force(true);
            }
        } catch (IOException e) {
            deleteTemp(temp); // ours: created above with CREATE_NEW
            throw ioError("write a temporary file for object '" + key + "'", temp, e);
        }
        return new Staged(temp, new ObjectInfo(key, data.length, etag, now, metadata));
    }

    /** A unique name: pid, thread, a process-wide counter and a random part (pids are reused after a crash). */
    private Path newTempPath() {
        return tempDir.resolve(PID + "-" + Thread.currentThread().getId() + "-" + TEMP_COUNTER.incrementAndGet()
                + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    private FileChannel openTemp(Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(tempDir); // someone removed ~tmp: make it again
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private void deleteTemp(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete temporary file " + temp + " (it is removed when the store is"
                    + " next opened after " + STALE_TEMP_AGE.toMinutes() + " minutes)", e);
        }
    }

    private static void moveReplacing(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the filesystem cannot rename " + temp + " to " + target + " atomically", e);
        }
    }

    /** Creates {@code dir} and its missing parents (below the root), forcing each new entry when fsync is on. */
    private void ensureDirectory(Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        ensureDirectory(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // a concurrent writer made it; it may not have forced the parent yet, so we do it too
        }
        if (fsync) {
            forceDirectory(dir.getParent());
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private FsObjectHeader readHeader(String key, Path path, FileChannel ch) throws IOException {
        try {
            return FsObjectHeader.read(ch);
        } catch (FsObjectHeader.FormatException e) {
            throw corrupt(key, path, e.getMessage());
        } catch (EOFException e) {
            throw corrupt(key, path, e.getMessage());
        }
    }

    private byte[] readBody(String key, Path path, FileChannel ch, FsObjectHeader h, long first, long end)
            throws IOException {
        long length = end - first;
        if (length > Integer.MAX_VALUE - 16) {
            throw new ObjectStoreException("object '" + key + "' range of " + length + " bytes is too large to read"
                    + " into memory at once; read it in ranges");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) length);
        try {
            FsObjectHeader.readFully(ch, buf, h.headerLength() + first);
        } catch (EOFException e) {
            throw corrupt(key, path, "the file ended early: " + e.getMessage());
        }
        return buf.array();
    }

    private static ObjectInfo info(String key, FsObjectHeader h) {
        return new ObjectInfo(key, h.bodyLength(), h.etag(), Instant.ofEpochMilli(h.lastModifiedMillis()),
                h.metadata());
    }

    private ObjectStoreException corrupt(String key, Path path, String why) {
        return new ObjectStoreException("object '" + key + "' in " + describe() + " is corrupt (" + path + "): "
                + why + ". The file is left in place for inspection; delete or restore it.");
    }

    private StoreUnavailableException ioError(String what, Path path, Exception e) {
        return new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                "could not " + what + " at " + path + " in " + describe() + ": " + e, e);
    }

    private void prepareRoot() {
        try {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            throw new StoreConfigurationException("the store root " + root + " exists but is not a directory;"
                    + " point the file: store at a directory", e);
        } catch (AccessDeniedException e) {
            throw new StoreConfigurationException("the store root " + root + " cannot be created: permission denied"
                    + " on " + e.getFile(), e);
        } catch (IOException e) {
            throw new StoreConfigurationException("the store root " + root + " cannot be created: " + e, e);
        }
        if (!Files.isDirectory(root)) {
            throw new StoreConfigurationException("the store root " + root + " is not a directory");
        }
        if (!Files.isWritable(root)) {
            throw new StoreConfigurationException("the store root " + root + " is not writable by this user");
        }
        try {
            Files.createDirectories(tempDir);
        } catch (IOException e) {
            throw new StoreConfigurationException("the store's temporary directory " + tempDir
                    + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(tempDir)) {
            throw new StoreConfigurationException("the store's temporary directory " + tempDir
                    + " is not writable by this user");
        }
    }

    private void cleanStaleTempFiles() {
        Instant cutoff = Instant.now().minus(STALE_TEMP_AGE); // file times are wall-clock, not the injected clock
        int deleted = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(tempDir)) {
            for (Path temp : temps) {
                try {
                    if (Files.isRegularFile(temp) && Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(temp);
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // another process cleaned it
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not delete stale temporary file " + temp, e);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not list temporary files in " + tempDir, e);
        }
        if (deleted > 0) {
            LOG.log(Level.INFO, "deleted {0} stale temporary file(s) from {1} (left by interrupted writes)", deleted,
                    tempDir);
        }
    }
}
