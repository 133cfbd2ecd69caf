package io.silt.bench.workload;

import io.silt.storage.FileSystemObjectStore;
import io.silt.storage.LatencyModelObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * The stores a workload runs against. Each client of a workload opens its own instance (as separate processes
 * would), all on the same data.
 */
public enum StoreKind {
    /** The filesystem store with fsync on, what {@code Silt.connect("file:DIR")} opens. */
    FILE("file"),
    /**
     * The filesystem store (fsync off: the model stands for the store's own durability) behind
     * {@link LatencyModelObjectStore.Profile#S3_STANDARD}.
     */
    S3_STANDARD("s3-standard"),
    /** The same behind {@link LatencyModelObjectStore.Profile#S3_EXPRESS_ONE_ZONE} (a tenth of the delays). */
    S3_EXPRESS("s3-express"),
    /** S3Proxy (filesystem blobstore) in a child JVM on a loopback port, through Silt's S3 client. */
    S3PROXY("s3proxy");

    private final String label;

    StoreKind(String label) {
        this.label = label;
    }

    /** The name on the command line and in reports, e.g. {@code s3-standard}. */
    public String label() {
        return label;
    }

    /** Whether the store is opened from a directory (all but {@link #S3PROXY}, which is opened from a URI). */
    public boolean local() {
        return this != S3PROXY;
    }

    /** The kind named {@code name} (its label or enum name). */
    public static StoreKind named(String name) {
        for (StoreKind k : values()) {
            if (k.label.equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown store '" + name + "'; use file, s3-standard, s3-express or "
                + "s3proxy");
    }

    /**
     * Opens one instance.
     *
     * @param location the directory ({@link #local()} kinds) or the {@code s3://} store URI
     * @param env where S3 credentials are read ({@link ObjectStores#ACCESS_KEY_ENV} ...)
     * @param seed randomness of the latency model
     */
    public ObjectStore open(String location, Function<String, String> env, long seed) {
        return switch (this) {
            case FILE -> new FileSystemObjectStore(Path.of(location));
            case S3_STANDARD -> LatencyModelObjectStore.wrap(unsynced(location),
                    LatencyModelObjectStore.Profile.S3_STANDARD, seed);
            case S3_EXPRESS -> LatencyModelObjectStore.wrap(unsynced(location),
                    LatencyModelObjectStore.Profile.S3_EXPRESS_ONE_ZONE, seed);
            case S3PROXY -> ObjectStores.open(location, env);
        };
    }

    private static ObjectStore unsynced(String dir) {
        return new FileSystemObjectStore(Path.of(dir), FileSystemObjectStore.Options.defaults().withFsync(false));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
