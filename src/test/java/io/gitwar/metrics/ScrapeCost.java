package io.gitwar.metrics;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.MapConfig;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.FetchSlots;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.event.FetchCompleted;
import io.gitwar.service.event.PushCompleted;
import io.gitwar.service.event.RepackCompleted;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A benchmark, not a test (bench/metrics-scrape.sh runs it): what one scrape of the metrics costs in
 * the server, without HTTP: the time and the bytes allocated on the scraping thread per scrape of
 * every meter (gitwar's, with every series and histogram bucket filled, and the JVM's), the
 * thread's CPU time, and the size of the answer.
 *
 * <p>{@code java ... io.gitwar.metrics.ScrapeCost [SCRAPES]}
 */
public final class ScrapeCost {

    private ScrapeCost() {
    }

    public static void main(String[] args) throws Exception {
        int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path data = Files.createTempDirectory("scrape-cost");
        GitwarConfig config = GitwarConfig.from(new MapConfig(Map.of("gitwar.data-dir", data.toString())));
        GitwarMetrics metrics = new GitwarMetrics(new ActorRegistry(config), new FetchSlots(config), new HeapBudget(config));
        RepositoryName repo = RepositoryName.parse("bench");
        for (int i = 0; i < 1000; i++) { // every series and bucket holds something, as on a server in use
            Duration d = Duration.ofMillis(i * 37L % 600_000);
            metrics.pushed(new PushCompleted(repo, PushCompleted.Result.values()[i % 4], i * 1000L, d));
            metrics.fetched(new FetchCompleted(repo, FetchCompleted.Protocol.values()[i % 3], i * 1000L, d));
            metrics.repacked(new RepackCompleted(repo, RepackCompleted.Result.values()[i % 3], d));
        }
        Counting out = new Counting();
        for (int i = 0; i < scrapes; i++) { // warm-up: the JIT, the registry's caches
            metrics.scrape(out);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        out.bytes = 0;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < scrapes; i++) {
            metrics.scrape(out);
        }
        long nanos = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        // CPU time beside wall time: on a shared machine the wall time includes waiting for a core
        System.out.printf("scrapes=%d wall_per_scrape_us=%.1f cpu_per_scrape_us=%.1f allocated_per_scrape_kib=%.1f"
                + " answer_bytes=%d%n", scrapes, nanos / 1000.0 / scrapes, cpu / 1000.0 / scrapes,
                allocated / 1024.0 / scrapes, out.bytes / scrapes);
        metrics.close();
    }

    /** Counts what a scrape writes, and drops it. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            bytes += len;
        }
    }
}
