package io.silt.cli;

import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.RetryingObjectStore;
import picocli.CommandLine.Option;

/** The options every command shares: where the data lives, and how much to say about failures. */
final class StoreOptions {
    static final String STORE_ENV = "SILT_STORE";
    static final String URL_ENV = "SILT_URL";

    @Option(names = "--store", paramLabel = "URI",
            description = "Store URI: file:DIR, s3://bucket/prefix?endpoint=...&region=..., mem: "
                    + "(default: $SILT_STORE, else " + Silt.DEFAULT_TARGET + ")")
    String store;

    @Option(names = "--url", paramLabel = "URL",
            description = "A Silt service URL (http://host:port), instead of a store: the commands go through its REST "
                    + "API (default: $SILT_URL; the API key from $SILT_API_KEY).")
    String url;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    /** Implemented by commands that group others, so their options reach the subcommands. */
    interface Holder {
        StoreOptions storeOptions();
    }

    /** These options, with what was given on the enclosing commands ({@code silt --store X topics list}) filled in. */
    StoreOptions inherit(picocli.CommandLine.Model.CommandSpec spec) {
        StoreOptions merged = new StoreOptions();
        merged.store = store;
        merged.url = url;
        merged.verbose = verbose;
        for (var p = spec.parent(); p != null; p = p.parent()) {
            if (p.userObject() instanceof Holder h) {
                StoreOptions o = h.storeOptions();
                merged.store = merged.store != null ? merged.store : o.store;
                merged.url = merged.url != null ? merged.url : o.url;
                merged.verbose |= o.verbose;
            }
        }
        return merged;
    }

    /** Whether the user named a store or a service (option or environment). */
    boolean storeGiven() {
        return store != null || url != null || env(STORE_ENV) != null || env(URL_ENV) != null;
    }

    /** The service URL or the store URI: an option wins over the environment, and both options together are refused. */
    String target() {
        if (url != null && store != null) {
            throw new CliException("--url and --store both given: choose the service (--url) or the store (--store)");
        }
        if (url != null || store != null) {
            return checkedUrl(url != null ? url : null, store);
        }
        String envUrl = env(URL_ENV);
        String envStore = env(STORE_ENV);
        if (envUrl != null && envStore != null) {
            throw new CliException(URL_ENV + " and " + STORE_ENV + " are both set: unset one (or give --url / --store)");
        }
        return envUrl != null ? checkedUrl(envUrl, null) : envStore != null ? envStore : Silt.DEFAULT_TARGET;
    }

    private static String checkedUrl(String url, String store) {
        if (url == null) {
            return store;
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new CliException("--url " + url + ": a Silt service URL starts with http:// or https:// "
                    + "(a bucket or folder goes in --store)");
        }
        return url;
    }

    /** Whether the target is a Silt service rather than a store. */
    boolean isService() {
        String t = target();
        return t.startsWith("http://") || t.startsWith("https://");
    }

    private static String env(String name) {
        String env = System.getenv(name);
        return env == null || env.isBlank() ? null : env;
    }

    SiltClient connect() {
        return Silt.connect(target());
    }

    /** The raw store, with retries, for commands that work below the SDK (verify-store, compact). */
    ObjectStore openStore() {
        if (isService()) {
            throw new CliException("this command works on a store, not through the service: give --store URI "
                    + "(the service's own store), not --url " + target());
        }
        return RetryingObjectStore.wrap(ObjectStores.open(target()));
    }
}
