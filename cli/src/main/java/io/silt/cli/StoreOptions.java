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

    @Option(names = "--store", paramLabel = "URI",
            description = "Store URI: file:DIR, s3://bucket/prefix?endpoint=...&region=..., mem: "
                    + "(default: $SILT_STORE, else " + Silt.DEFAULT_TARGET + ")")
    String store;

    @Option(names = "--url", paramLabel = "URL",
            description = "A Silt service URL. Not available yet: the http transport arrives with the Silt service.")
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

    /** Whether the user named a store (option or environment). */
    boolean storeGiven() {
        return store != null || envStore() != null;
    }

    String target() {
        if (url != null) {
            throw new CliException("--url " + url + ": not available yet: the http transport arrives with the Silt "
                    + "service; use --store URI (file:, s3://, mem:) for now");
        }
        if (store != null) {
            return store;
        }
        String env = envStore();
        return env != null ? env : Silt.DEFAULT_TARGET;
    }

    private static String envStore() {
        String env = System.getenv(STORE_ENV);
        return env == null || env.isBlank() ? null : env;
    }

    SiltClient connect() {
        return Silt.connect(target());
    }

    /** The raw store, with retries, for commands that work below the SDK (verify-store, compact). */
    ObjectStore openStore() {
        return RetryingObjectStore.wrap(ObjectStores.open(target()));
    }
}
