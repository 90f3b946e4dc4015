package tv.latent.testing;

import java.lang.management.ManagementFactory;

/** The heap as memory tests measure it. */
public final class Heap {
    private Heap() {}

    /** Bytes of heap in use after asking for a full collection three times (the least of three readings). */
    public static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
