package io.silt.bench.chaos;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run on the filesystem store: 20,000 records from 3 producers, read by 2 group and 2 queue
 * consumers while 2 compactors run, with faults injected at 5 %, a SIGKILL every ~6 s and a 7 s pause every ~12 s;
 * the history checker must find nothing, and every kind of fault must have been injected.
 */
class ChaosRunTest {
    @Test
    void theFilesystemStoreKeepsEveryGuaranteeUnderChaos(@TempDir Path dir) {
        ChaosRunSupport.runAndCheck("file", 20_000, dir);
    }
}
