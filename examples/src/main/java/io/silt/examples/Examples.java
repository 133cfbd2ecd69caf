package io.silt.examples;

import java.util.logging.Level;
import java.util.logging.Logger;

/** What the example programs share: the store argument and quiet logging. */
final class Examples {
    static final String DEFAULT_STORE = "file:./silt-data";

    private Examples() {}

    /** The store URI: the first argument, else {@code file:./silt-data}. */
    static String store(String[] args) {
        return args.length > 0 ? args[0] : DEFAULT_STORE;
    }

    /** JDK logging at WARNING, so the program's own lines are what a user sees. */
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
