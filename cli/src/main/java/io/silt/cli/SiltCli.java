package io.silt.cli;

import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code silt} command line. Exit codes: 0 ok, 1 failure, 2 usage error. */
@Command(name = "silt", mixinStandardHelpOptions = true, version = "silt 0.1.0-SNAPSHOT",
        description = "Silt: a serverless message queue on S3-compatible object storage.",
        subcommands = {DemoCommand.class, TopicsCommand.class, ProduceCommand.class, ConsumeCommand.class,
                VerifyStoreCommand.class, CompactCommand.class, FsckCommand.class, GroupsCommand.class,
                QueueCommand.class, StatsCommand.class, Serve.class, BenchCommand.class})
public final class SiltCli implements StoreOptions.Holder {
    @picocli.CommandLine.Mixin
    StoreOptions storeOptions;

    @Override
    public StoreOptions storeOptions() {
        return storeOptions;
    }

    private final InputStream in;

    public SiltCli() {
        this(System.in);
    }

    /** With {@code in} as standard input (for tests). */
    public SiltCli(InputStream in) {
        this.in = in;
    }

    InputStream in() {
        return in;
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(commandLine(new SiltCli()).execute(args));
    }

    /** The command line as {@code main} runs it: a usage error is one line plus a hint, exit code 2. */
    public static CommandLine commandLine(SiltCli cli) {
        CommandLine cl = new CommandLine(cli);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** JDK logging at WARNING: the CLI's own output is all a user should see. */
    static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") == null) {
            Logger root = Logger.getLogger("");
            root.setLevel(Level.WARNING);
            for (var h : root.getHandlers()) {
                h.setLevel(Level.WARNING);
            }
        }
    }
}
