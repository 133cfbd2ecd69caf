package io.silt.cli;

import picocli.CommandLine.Command;

/** Commands that have a name but no implementation yet: they say so and fail. */
final class NotYetCommands {
    private NotYetCommands() {}

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the Silt service (not available yet: arrives with the Silt service).")
    static final class Serve extends SiltCommand {
        @Override
        int run() {
            throw new CliException("not available yet: arrives with the Silt service (the functions module)");
        }
    }

}
