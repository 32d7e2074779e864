package io.gitwar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.MapConfig;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.FetchSlots;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.event.DumbFileSent;
import io.gitwar.service.event.FetchCompleted;
import io.gitwar.service.event.FetchRefused;
import io.gitwar.service.event.PushCompleted;
import io.gitwar.service.event.RepackCompleted;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters as Prometheus reads them: names, labels, values, after the service's events. */
class GitwarMetricsTest {

    private static final RepositoryName REPO = RepositoryName.parse("team/secret-name");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*(?:\\{[^}]*\\})?) (\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    Path tmp;

    GitwarMetrics metrics;

    @BeforeEach
    void create() {
        GitwarConfig config = GitwarConfig.from(new MapConfig(Map.of("gitwar.data-dir", tmp.toString())));
        metrics = new GitwarMetrics(new ActorRegistry(config), new FetchSlots(config), new HeapBudget(config));
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void everyLabelledSeriesExistsAtZeroBeforeItsFirstEvent() throws Exception {
        Map<String, Double> s = scrape();
        for (String outcome : new String[] {"stored", "rejected", "refused", "failed"}) {
            assertEquals(0.0, s.get("gitwar_pushes_total{outcome=\"" + outcome + "\"}"), outcome);
        }
        for (String protocol : new String[] {"v0", "v2", "dumb"}) {
            assertEquals(0.0, s.get("gitwar_fetches_total{protocol=\"" + protocol + "\"}"), protocol);
            assertEquals(0.0, s.get("gitwar_fetch_bytes_total{protocol=\"" + protocol + "\"}"), protocol);
        }
        for (String reason : new String[] {"repository_cap", "server_cap", "heap"}) {
            assertEquals(0.0, s.get("gitwar_fetches_refused_total{reason=\"" + reason + "\"}"), reason);
        }
        for (String outcome : new String[] {"done", "busy", "failed"}) {
            assertEquals(0.0, s.get("gitwar_repacks_total{outcome=\"" + outcome + "\"}"), outcome);
        }
        assertEquals(0.0, s.get("gitwar_push_bytes_total"));
        assertEquals(0.0, s.get("gitwar_open_repositories"));
        assertEquals(0.0, s.get("gitwar_push_queue_waiting"));
        assertEquals(0.0, s.get("gitwar_fetches_in_progress"));
        assertTrue(s.containsKey("gitwar_block_cache_hit_ratio"), s.keySet().toString());
        assertTrue(s.containsKey("gitwar_block_cache_requests_total"), s.keySet().toString());
    }

    @Test
    void eventsBecomeCountersAndHistogramsWithoutRepositoryNames() throws Exception {
        metrics.pushed(new PushCompleted(REPO, PushCompleted.Result.STORED, 1000, Duration.ofMillis(2000)));
        metrics.pushed(new PushCompleted(REPO, PushCompleted.Result.STORED, 500, Duration.ofMillis(40)));
        metrics.pushed(new PushCompleted(REPO, PushCompleted.Result.REFUSED, 0, Duration.ofMillis(1)));
        metrics.fetched(new FetchCompleted(REPO, FetchCompleted.Protocol.V2, 5000, Duration.ofMillis(300)));
        metrics.fetched(new FetchCompleted(REPO, FetchCompleted.Protocol.V0, 7000, Duration.ofMillis(30)));
        metrics.fetched(new FetchCompleted(REPO, FetchCompleted.Protocol.DUMB, 0, Duration.ofMillis(1)));
        metrics.sent(new DumbFileSent(REPO, 700));
        metrics.sent(new DumbFileSent(REPO, 300));
        metrics.refused(new FetchRefused(REPO, FetchRefused.Reason.REPOSITORY_CAP));
        metrics.repacked(new RepackCompleted(REPO, RepackCompleted.Result.DONE, Duration.ofSeconds(3)));

        String text = text();
        assertFalse(text.contains("secret-name"), "no repository names");
        Map<String, Double> s = parse(text);
        assertEquals(2.0, s.get("gitwar_pushes_total{outcome=\"stored\"}"));
        assertEquals(1.0, s.get("gitwar_pushes_total{outcome=\"refused\"}"));
        assertEquals(1500.0, s.get("gitwar_push_bytes_total"));
        assertEquals(2.0, s.get("gitwar_push_duration_seconds_count{outcome=\"stored\"}"));
        assertEquals(2.04, s.get("gitwar_push_duration_seconds_sum{outcome=\"stored\"}"), 1e-9);
        assertEquals(1.0, s.get("gitwar_push_duration_seconds_bucket{outcome=\"stored\",le=\"0.05\"}"));
        assertEquals(1.0, s.get("gitwar_push_duration_seconds_bucket{outcome=\"stored\",le=\"1.0\"}"));
        assertEquals(2.0, s.get("gitwar_push_duration_seconds_bucket{outcome=\"stored\",le=\"2.5\"}"));
        assertEquals(2.0, s.get("gitwar_push_duration_seconds_bucket{outcome=\"stored\",le=\"+Inf\"}"));
        assertEquals(1.0, s.get("gitwar_fetches_total{protocol=\"v2\"}"));
        assertEquals(1.0, s.get("gitwar_fetches_total{protocol=\"v0\"}"));
        assertEquals(1.0, s.get("gitwar_fetches_total{protocol=\"dumb\"}"));
        assertEquals(5000.0, s.get("gitwar_fetch_bytes_total{protocol=\"v2\"}"));
        assertEquals(1000.0, s.get("gitwar_fetch_bytes_total{protocol=\"dumb\"}"));
        assertEquals(1.0, s.get("gitwar_fetch_duration_seconds_count{protocol=\"v2\"}"));
        assertEquals(1.0, s.get("gitwar_fetch_duration_seconds_bucket{protocol=\"v2\",le=\"0.5\"}"));
        assertFalse(s.containsKey("gitwar_fetch_duration_seconds_count{protocol=\"dumb\"}"), "dumb fetches are not timed");
        assertEquals(1.0, s.get("gitwar_fetches_refused_total{reason=\"repository_cap\"}"));
        assertEquals(1.0, s.get("gitwar_repacks_total{outcome=\"done\"}"));
        assertEquals(1.0, s.get("gitwar_repack_duration_seconds_bucket{le=\"5.0\"}"));
        assertEquals(0.0, s.get("gitwar_repack_duration_seconds_bucket{le=\"2.5\"}"));
    }

    @Test
    void theJvmsOwnMetersAreThere() throws Exception {
        String text = text();
        for (String name : new String[] {"jvm_memory_used_bytes{", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
            "process_uptime_seconds", "system_cpu_count", "jvm_gc_"}) {
            assertTrue(text.contains(name), name);
        }
    }

    private String text() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Double> scrape() throws Exception {
        return parse(text());
    }

    /** Every sample of a scrape: series (name and labels) to value. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2).replace("+Inf", "Infinity")));
        }
        return samples;
    }
}
