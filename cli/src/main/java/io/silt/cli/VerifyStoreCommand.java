package io.silt.cli;

import io.silt.storage.ConformanceReport;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import io.silt.storage.StoreConformanceCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silt verify-store URI}: checks that a store keeps the guarantees Silt relies on. */
@Command(name = "verify-store", mixinStandardHelpOptions = true,
        description = {"Check that a store keeps the guarantees Silt relies on.",
                "Create-only writes and their race, conditional and ranged GET, listing, deletes, read-after-write; "
                        + "exit 1 if the store is not safe for Silt."})
final class VerifyStoreCommand extends SiltCommand {
    @Parameters(paramLabel = "URI", arity = "0..1", description = "The store to check (default: --store).")
    String uri;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "20", description = "Rounds of each race (default 20).")
    int rounds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
            description = "Writers in each race (default 16).")
    int threads;

    @Override
    int run() {
        String target = uri != null ? uri : options.target();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            throw new CliException("verify-store checks a store, not a service: give the store URI (file:, s3://), "
                    + "not " + target);
        }
        StoreConformanceCheck check = new StoreConformanceCheck(StoreConformanceCheck.Options.defaults()
                .withRounds(rounds).withThreads(threads));
        // No retrying decorator: the check retries idempotent requests itself and never the writes under test.
        try (ObjectStore store = ObjectStores.open(target)) {
            ConformanceReport report = check.run(store);
            out().print(report.toText());
            if (!report.toText().endsWith("\n")) {
                out().println();
            }
            return report.safeForSilt() ? OK : FAILED;
        }
    }
}
