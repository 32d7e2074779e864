package io.gitwar.metrics;

import io.gitwar.service.ActorRegistry;
import io.gitwar.service.FetchSlots;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.event.DumbFileSent;
import io.gitwar.service.event.FetchCompleted;
import io.gitwar.service.event.FetchRefused;
import io.gitwar.service.event.PushCompleted;
import io.gitwar.service.event.RepackCompleted;
import io.gitwar.storage.dfs.JGitEnvironment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * gitwar's meters in Prometheus' text format. The service tells what happened through its events
 * ({@link PushCompleted}, {@link FetchCompleted}, {@link FetchRefused}, {@link DumbFileSent},
 * {@link RepackCompleted}), observed here; what is true now is read by gauges at each scrape (open
 * repositories, waiting writes, fetches in progress, JGit's block cache). So the service holds no
 * metrics code, and other observers of the same events need nothing from here.
 *
 * <p>Every labelled series exists from the start, at zero, so that {@code increase()} and
 * {@code rate()} see the first event. Durations are histograms with fixed buckets from 10 ms to
 * 10 minutes (a push of 1 GiB takes about 30 s here). Labels are closed enumerations; repository
 * names are never labels (one series per repository would be unbounded).
 *
 * <p>Thread-safe: Micrometer's meters are. Started with the application, so that the JVM's
 * garbage collection is counted from then; closed with it (the JVM binders hold listeners on the
 * platform's MBeans, which would otherwise pin this deployment's class loader).
 */
@ApplicationScoped
public class GitwarMetrics {

    /** Buckets of the duration histograms (seconds): from a small fetch to a large repack. */
    static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10)};

    /** The content type of Prometheus' text format 0.0.4, which every Prometheus reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final List<MeterBinder> jvm;

    private final Map<PushCompleted.Result, Counter> pushes = new EnumMap<>(PushCompleted.Result.class);
    private final Map<PushCompleted.Result, Timer> pushDurations = new EnumMap<>(PushCompleted.Result.class);
    private final Counter pushBytes;
    private final Map<FetchCompleted.Protocol, Counter> fetches = new EnumMap<>(FetchCompleted.Protocol.class);
    private final Map<FetchCompleted.Protocol, Timer> fetchDurations = new EnumMap<>(FetchCompleted.Protocol.class);
    private final Map<FetchCompleted.Protocol, Counter> fetchBytes = new EnumMap<>(FetchCompleted.Protocol.class);
    private final Map<FetchRefused.Reason, Counter> fetchRefusals = new EnumMap<>(FetchRefused.Reason.class);
    private final Map<RepackCompleted.Result, Counter> repacks = new EnumMap<>(RepackCompleted.Result.class);
    private final Timer repackDuration;

    @Inject
    public GitwarMetrics(ActorRegistry actors, FetchSlots fetchSlots, HeapBudget heap) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        jvm = List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        for (PushCompleted.Result r : PushCompleted.Result.values()) {
            pushes.put(r, Counter.builder("gitwar.pushes").description("Pushes answered, by what became of them")
                    .tag("outcome", label(r)).register(registry));
            pushDurations.put(r, histogram("gitwar.push.duration",
                    "Time from a push's whole body to its answer: queue, JGit, commit").tag("outcome", label(r))
                    .register(registry));
        }
        pushBytes = Counter.builder("gitwar.push.bytes").baseUnit("bytes")
                .description("Bytes of push request bodies (commands and packs)").register(registry);
        for (FetchCompleted.Protocol p : FetchCompleted.Protocol.values()) {
            fetches.put(p, Counter.builder("gitwar.fetches").tag("protocol", label(p))
                    .description("Fetches served: smart exchanges that sent a pack, dumb ref listings")
                    .register(registry));
            fetchBytes.put(p, Counter.builder("gitwar.fetch.bytes").baseUnit("bytes").tag("protocol", label(p))
                    .description("Bytes sent to fetches: smart packs, dumb packs, indexes and loose objects")
                    .register(registry));
            if (p != FetchCompleted.Protocol.DUMB) { // a dumb fetch is the client's many requests, not timed here
                fetchDurations.put(p, histogram("gitwar.fetch.duration",
                        "Time of a smart fetch on the server: heap wait, JGit, the pack written").tag("protocol", label(p))
                        .register(registry));
            }
        }
        for (FetchRefused.Reason r : FetchRefused.Reason.values()) {
            fetchRefusals.put(r, Counter.builder("gitwar.fetches.refused").tag("reason", label(r))
                    .description("Smart fetches refused with 429: a repository's cap, the server's cap, the heap")
                    .register(registry));
        }
        for (RepackCompleted.Result r : RepackCompleted.Result.values()) {
            repacks.put(r, Counter.builder("gitwar.repacks").tag("outcome", label(r))
                    .description("Background repacks, by how they ended").register(registry));
        }
        repackDuration = histogram("gitwar.repack.duration", "Time of a background repack, its wait included")
                .register(registry);

        Gauge.builder("gitwar.open.repositories", actors::openRepositories).strongReference(true)
                .description("Repositories with open connections").register(registry);
        Gauge.builder("gitwar.push.queue.waiting", actors::waitingWrites).strongReference(true)
                .description("Writes (pushes, repacks) waiting for their repository's turn").register(registry);
        Gauge.builder("gitwar.fetches.in.progress", fetchSlots::inProgress).strongReference(true)
                .description("Smart fetches in progress").register(registry);
        Gauge.builder("gitwar.admission.heap.in.use", heap::inUse).strongReference(true).baseUnit("bytes")
                .description("Heap reserved by the fetches and pushes in progress").register(registry);
        Gauge.builder("gitwar.block.cache.hit.ratio", GitwarMetrics::blockCacheHitRatio).strongReference(true)
                .description("Share of JGit's block cache reads answered from memory since the start")
                .register(registry);
        FunctionCounter.builder("gitwar.block.cache.requests", this, m -> JGitEnvironment.blockCacheRequests())
                .description("Block reads asked of JGit's block cache").register(registry);
        FunctionCounter.builder("gitwar.block.cache.hits", this, m -> JGitEnvironment.blockCacheHits())
                .description("Block reads JGit's block cache answered from memory").register(registry);
        jvm.forEach(b -> b.bindTo(registry));
    }

    /** For CDI's proxy; never called by gitwar. */
    protected GitwarMetrics() {
        registry = null;
        jvm = List.of();
        pushBytes = null;
        repackDuration = null;
    }

    /** Created with the application rather than at the first event or scrape. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing more: the constructor registered everything
    }

    void pushed(@Observes PushCompleted e) {
        pushes.get(e.result()).increment();
        pushDurations.get(e.result()).record(e.duration());
        pushBytes.increment(e.bytes());
    }

    void fetched(@Observes FetchCompleted e) {
        fetches.get(e.protocol()).increment();
        fetchBytes.get(e.protocol()).increment(e.bytes());
        Timer duration = fetchDurations.get(e.protocol());
        if (duration != null) {
            duration.record(e.duration());
        }
    }

    void refused(@Observes FetchRefused e) {
        fetchRefusals.get(e.reason()).increment();
    }

    void sent(@Observes DumbFileSent e) {
        fetchBytes.get(FetchCompleted.Protocol.DUMB).increment(e.bytes());
    }

    void repacked(@Observes RepackCompleted e) {
        repacks.get(e.result()).increment();
        repackDuration.record(e.duration());
    }

    /** Writes every meter in Prometheus' text format ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out, CONTENT_TYPE);
    }

    @PreDestroy
    void close() {
        for (MeterBinder b : jvm) {
            if (b instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // its listeners are gone with the MBeans' own cleanup at worst
                }
            }
        }
        registry.close();
    }

    private static Timer.Builder histogram(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }

    private static double blockCacheHitRatio() {
        long requests = JGitEnvironment.blockCacheRequests();
        return requests == 0 ? 0 : (double) JGitEnvironment.blockCacheHits() / requests;
    }

    /** A label value: the enum constant in lower case ({@code STORED} becomes {@code stored}). */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
