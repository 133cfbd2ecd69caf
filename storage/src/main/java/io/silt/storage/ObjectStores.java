package io.silt.storage;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Opens the store a {@link StoreUri store URI} names: {@code file:/dir}, {@code mem:[name]} or
 * {@code s3://bucket[/prefix][?endpoint=...&region=...&pathStyle=...]}.
 *
 * <p>S3 credentials come from the environment variables {@value #ACCESS_KEY_ENV} and {@value #SECRET_KEY_ENV} (and
 * optionally {@value #SESSION_TOKEN_ENV}) when they are set, otherwise from the AWS default provider chain
 * (environment, system properties, profile, container and instance roles). They are never read from the URI.
 */
public final class ObjectStores {
    private static final System.Logger LOG = System.getLogger(ObjectStores.class.getName());

    /** The environment variable holding the S3 access key id. */
    public static final String ACCESS_KEY_ENV = "SILT_S3_ACCESS_KEY";
    /** The environment variable holding the S3 secret access key. */
    public static final String SECRET_KEY_ENV = "SILT_S3_SECRET_KEY";
    /** The environment variable holding an optional session token for temporary credentials. */
    public static final String SESSION_TOKEN_ENV = "SILT_S3_SESSION_TOKEN";

    private ObjectStores() {}

    /**
     * Opens a store, reading S3 credentials from the process environment.
     *
     * @throws StoreConfigurationException if the URI is malformed or the credentials are incomplete
     */
    public static ObjectStore open(String uri) {
        return open(StoreUri.parse(uri), System::getenv);
    }

    /** Opens a store, looking environment variables up with {@code env} (for tests and embedding). */
    public static ObjectStore open(String uri, Function<String, String> env) {
        return open(StoreUri.parse(uri), env);
    }

    /** Opens a store, looking environment variables up in {@code env}. */
    public static ObjectStore open(String uri, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        return open(StoreUri.parse(uri), env::get);
    }

    /** Opens the store a parsed URI names, looking environment variables up with {@code env}. */
    public static ObjectStore open(StoreUri uri, Function<String, String> env) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(env, "env");
        ObjectStore store = switch (uri.kind()) {
            case FILE -> openFile(uri.path());
            case MEM -> new InMemoryObjectStore(Clock.systemUTC(), "mem:" + uri.name());
            case S3 -> openS3(uri, env);
        };
        LOG.log(Level.DEBUG, () -> "opened " + store.describe() + " for " + uri);
        return store;
    }

    private static ObjectStore openS3(StoreUri uri, Function<String, String> env) {
        S3ObjectStore.Builder b = S3ObjectStore.builder()
                .bucket(uri.bucket())
                .prefix(uri.prefix())
                .region(uri.region())
                .endpoint(uri.endpoint().orElse(null))
                .pathStyle(uri.pathStyle());
        String accessKey = blankToNull(env.apply(ACCESS_KEY_ENV));
        String secretKey = blankToNull(env.apply(SECRET_KEY_ENV));
        if (accessKey != null && secretKey != null) {
            b.credentials(accessKey, secretKey, blankToNull(env.apply(SESSION_TOKEN_ENV)));
        } else if (accessKey != null || secretKey != null) {
            String missing = accessKey == null ? ACCESS_KEY_ENV : SECRET_KEY_ENV;
            String present = accessKey == null ? SECRET_KEY_ENV : ACCESS_KEY_ENV;
            throw new StoreConfigurationException(present + " is set but " + missing + " is not: set both to use a"
                    + " static key pair for " + uri.bucket() + ", or neither to use the AWS default provider chain");
        } else {
            b.defaultCredentials();
        }
        return b.build();
    }

    private static ObjectStore openFile(Path dir) {
        return new FileSystemObjectStore(dir);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
