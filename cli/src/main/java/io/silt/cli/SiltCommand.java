package io.silt.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every command: records go to {@link #out()}, everything else to {@link #err()}; a failure becomes one
 * line on standard error and exit code 1 (with the stack trace only under {@code --verbose}).
 */
abstract class SiltCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions options;

    /** Runs the command and returns its exit code. */
    abstract int run() throws Exception;

    @Override
    public final Integer call() {
        options = options.inherit(spec);
        try {
            return run();
        } catch (Exception | LinkageError e) {
            err().println("silt " + commandName() + ": " + describe(e));
            if (options.verbose) {
                e.printStackTrace(err());
            }
            err().flush();
            return FAILED;
        } finally {
            out().flush();
            err().flush();
        }
    }

    private String commandName() {
        String q = spec.qualifiedName(" ");
        return q.startsWith("silt ") ? q.substring(5) : q;
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = t.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
