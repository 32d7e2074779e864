package io.gitwar.config;

import java.time.Duration;

/**
 * How much of the server one request, one client and one repository's fetches may hold, and for how
 * long: the bounds that keep slow or greedy clients, or one hot repository, from taking every worker
 * thread, the heap or a read snapshot.
 *
 * @param minBodyRate the fewest bytes per second a request body must average once it has had
 *        {@code bodyGrace} to start ({@code gitwar.request-min-bytes-per-second}; 0: no minimum)
 * @param bodyGrace how long a request body may take before the minimum rate applies
 *        ({@code gitwar.request-body-grace-seconds})
 * @param writeTimeout how long one write of a response may block on a client that does not read
 *        ({@code gitwar.response-write-timeout-seconds}; 0: none)
 * @param maxRequestTime how long one request may take in all, which bounds how long it holds its read
 *        snapshot ({@code gitwar.max-request-seconds}; 0: no bound)
 * @param maxRequestsPerClient requests one client address may have in progress at once; more are
 *        refused with 429 ({@code gitwar.max-requests-per-client})
 * @param admissionHeapBytes the heap the expensive requests (smart fetches and pushes) may use together;
 *        one that does not fit waits ({@code gitwar.admission-heap-mib}; by default derived from the
 *        heap, see {@link #defaultAdmissionHeap})
 * @param admissionWait how long an expensive request waits for room before it is refused with 429
 *        ({@code gitwar.admission-wait-seconds})
 * @param maxConcurrentFetches smart fetches (upload-pack requests with wants) in progress at once in
 *        all; more are refused with 429 ({@code gitwar.max-concurrent-fetches})
 * @param maxConcurrentFetchesPerRepository smart fetches of one repository in progress at once; more
 *        are refused with 429 ({@code gitwar.max-concurrent-fetches-per-repository})
 */
public record ClientLimits(
        long minBodyRate,
        Duration bodyGrace,
        Duration writeTimeout,
        Duration maxRequestTime,
        int maxRequestsPerClient,
        long admissionHeapBytes,
        Duration admissionWait,
        int maxConcurrentFetches,
        int maxConcurrentFetchesPerRepository) {

    public ClientLimits {
        if (maxConcurrentFetches < 1 || maxConcurrentFetchesPerRepository < 1) {
            throw new IllegalArgumentException("gitwar.max-concurrent-fetches and"
                    + " gitwar.max-concurrent-fetches-per-repository must be at least 1");
        }
    }

    static ClientLimits from(Settings s, long blockCacheBytes) {
        // Each fetch in progress holds a worker thread, also while it waits for heap (HeapBudget queues
        // fetches by the heap they need, up to gitwar.admission-wait-seconds). Half of the worker pool
        // (128 in the provisioned WildFly, wildfly-config/provisioning.cli), as for one client address
        // (gitwar.max-requests-per-client): fetches alone never hold every worker, pushes, dumb reads
        // and health probes keep the other half.
        int fetches = s.get("gitwar.max-concurrent-fetches", Integer.class, 64);
        // Half of all: one hot repository leaves half of the fetch slots to the others. A quarter (16)
        // refused the 17th of a burst of clones of one repository (16 CI jobs and a reader did it), and
        // git does not retry a 429.
        int fetchesPerRepository = s.get("gitwar.max-concurrent-fetches-per-repository", Integer.class,
                Math.max(1, fetches / 2));
        return new ClientLimits(
                // Apache httpd's mod_reqtimeout default for bodies, MinRate=500: a slowloris body of a byte a minute is
                // cut after 20 s, any real client on any real link is far above it
                s.get("gitwar.request-min-bytes-per-second", Long.class, 500L),
                // mod_reqtimeout's body=20: 20 s for a body to get going
                Duration.ofSeconds(s.get("gitwar.request-body-grace-seconds", Long.class, 20L)),
                // nginx's send_timeout: 60 s without the client taking a byte
                Duration.ofSeconds(s.get("gitwar.response-write-timeout-seconds", Long.class, 60L)),
                // the write transaction's own timeout (gitwar.write-timeout-seconds) is an hour too:
                // a request longer than that is no honest Git exchange on this server
                Duration.ofSeconds(s.get("gitwar.max-request-seconds", Long.class, 3600L)),
                // above what one git process opens (its dumb walker: http.maxRequests, 5) times the
                // clients behind one address (a CI machine, a NAT); below the worker pool, so one
                // address cannot hold every worker thread
                s.get("gitwar.max-requests-per-client", Integer.class, 64),
                s.get("gitwar.admission-heap-mib", Long.class, defaultAdmissionHeap(blockCacheBytes) >> 20) << 20,
                // a clone that queues a minute still beats one that fails; git waits much longer
                Duration.ofSeconds(s.get("gitwar.admission-wait-seconds", Long.class, 60L)),
                fetches,
                fetchesPerRepository);
    }

    /**
     * The heap left for expensive requests: the maximum heap less JGit's block cache (shared, always
     * full on a busy server) and a reserve for everything else (the container, light requests,
     * garbage in flight), never less than two expensive requests' worth.
     */
    static long defaultAdmissionHeap(long blockCacheBytes) {
        long reserve = 64L << 20;
        return Math.max(Runtime.getRuntime().maxMemory() - blockCacheBytes - reserve, 64L << 20);
    }
}
