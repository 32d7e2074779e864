package io.gitwar.config;

import java.time.Duration;

/**
 * The bounds on one push. Exceeding one refuses the push whole (nothing is stored) with a reason
 * git prints; -1 means unlimited where allowed.
 *
 * @param maxPackBytes pack bytes per push ({@code gitwar.max-pack-bytes})
 * @param maxObjectBytes inflated size of one object ({@code gitwar.max-object-bytes})
 * @param maxObjects objects in one pack ({@code gitwar.max-objects-per-push})
 * @param maxRefUpdates ref updates (commands) in one push ({@code gitwar.max-ref-updates})
 * @param maxRefs refs one repository may have; pushes that would create more are refused
 *        ({@code gitwar.max-refs-per-repository})
 * @param maxQueuedPushes pushes that may wait for one repository's writer
 *        ({@code gitwar.max-queued-pushes}); more are refused as busy
 * @param requestReadTimeout how long a request body may stall before it is abandoned
 *        ({@code gitwar.request-read-timeout-seconds})
 * @param deltaBudgetRatio bytes that resolving a pack's deltas may produce per byte of pack
 *        ({@code gitwar.delta-budget-ratio})
 * @param deltaBudgetFloorBytes bytes that resolving the deltas of any pack may produce, however small
 *        ({@code gitwar.delta-budget-floor-mib})
 * @param minFreeDiskBytes free space the data directory's file system keeps: a push that would go
 *        below it is refused before its body is spooled or written ({@code gitwar.min-free-disk-mib})
 * @param receiveThreads threads that index one received pack of 1 MiB or more ({@code gitwar.receive-threads});
 *        1 leaves it to JGit's parser on the receiving thread
 */
public record Limits(
        long maxPackBytes,
        long maxObjectBytes,
        long maxObjects,
        int maxRefUpdates,
        long maxRefs,
        int maxQueuedPushes,
        Duration requestReadTimeout,
        long deltaBudgetRatio,
        long deltaBudgetFloorBytes,
        long minFreeDiskBytes,
        int receiveThreads) {

    /**
     * The heap one received object costs JGit (bytes), measured here: a push of 1,001,002 objects
     * (1000 trees of 1000 small blobs) needed a heap of 180-190 MiB with a 16 MiB block cache, about
     * 160 bytes per object (119 retained at the sampled peak; JGit's own estimate is ~80). So -Xmx256m
     * takes about 400,000 objects per push, and the Linux kernel's 10 million need a heap of 6 GiB.
     */
    public static final long HEAP_PER_OBJECT = 160;

    /**
     * The heap one ref costs while a repository's refs are listed (bytes), measured here: 195 bytes
     * per ref for 200,000 refs of 35-byte names (JGit's refs and the receive-pack advertisement); a
     * name of 255 bytes, the longest a push may create, is held four times (the ref, the listing,
     * the copies the buffered answer makes), so 1 KiB each. -Xmx256m takes about 63,000 refs.
     */
    public static final long HEAP_PER_REF = 1024;

    static Limits from(Settings s) {
        return new Limits(
                // git's receive.maxInputSize: unlimited by default; the pack is streamed to
                // storage, never held in memory, so its size costs disk, not heap
                s.get("gitwar.max-pack-bytes", Long.class, -1L),
                // 2 GiB: a Java array's limit, and JGit resolves deltas into arrays
                // (ReceivePack.setMaxObjectSizeLimit); larger objects could not be read anyway
                s.get("gitwar.max-object-bytes", Long.class, 2L << 30),
                // JGit keeps every received object in memory until the pack's index is written and
                // the connectivity check is done, and sizes an array by the pack header's count
                // before reading any object; a quarter of the heap for that, at HEAP_PER_OBJECT each
                s.get("gitwar.max-objects-per-push", Long.class,
                        Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_OBJECT),
                // the report (a line per ref) is held in memory until the commit (OutputGate);
                // 20 000 is far above any normal push and fits JGit's receive.maxCommandBytes
                // (3 MiB of command lines)
                s.get("gitwar.max-ref-updates", Integer.class, 20_000),
                // every ref is held in memory and listed in each advertisement, which is buffered for
                // its ETag: a quarter of the heap for one listing, at HEAP_PER_REF each
                s.get("gitwar.max-refs-per-repository", Long.class, Runtime.getRuntime().maxMemory() / 4 / HEAP_PER_REF),
                // each waiting push holds one request thread (WildFly's default pool: 16 per
                // core); 16 lets a busy repository queue without starving the others
                s.get("gitwar.max-queued-pushes", Integer.class, 16),
                // nginx's client_body_timeout: 60 s without a byte from the client
                Duration.ofSeconds(s.get("gitwar.request-read-timeout-seconds", Long.class, 60L)),
                // Resolving deltas costs time in proportion to what it produces (copying and SHA-1:
                // 2 GiB took 16.8 s at -Xmx256m here, about 8 s per GiB), and a few KiB of deltas can
                // declare gigabytes. Histories expand a few times their pack (all objects' sizes over
                // the pack: 7.8 for the 41k-object benchmark corpus, 8.9 for gitwar's own history);
                // 100 leaves room for big files rewritten in many small steps.
                s.get("gitwar.delta-budget-ratio", Long.class, 100L),
                // about 2 s of work for the smallest push; but never less than half the heap, so that
                // any delta that fits in memory (a quarter of the heap: base and result) fits twice
                s.get("gitwar.delta-budget-floor-mib", Long.class, Math.max(256L, Runtime.getRuntime().maxMemory() >> 21))
                        << 20,
                // room the server needs after the last push it took: SQLite's WAL and checkpoints, the
                // container's logs, and a repack, which writes a repository's new pack before the old
                // ones go (the 41k-object benchmark corpus packs to 31 MiB); keep more for repositories
                // of several GiB
                s.get("gitwar.min-free-disk-mib", Long.class, 1024L) << 20,
                // hashing (SHA-1 with collision detection) and resolving deltas is most of a push's
                // CPU; C git's index-pack uses every core as well
                Math.max(1, s.get("gitwar.receive-threads", Integer.class, Runtime.getRuntime().availableProcessors())));
    }
}
