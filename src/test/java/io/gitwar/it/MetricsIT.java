package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /git/-/metrics} scraped by a real Prometheus: after N pushes and M clones (v2 and v0), PromQL
 * through Prometheus' HTTP API gives N and M. The server requires the admin token for its metrics, as
 * an operator who keeps them private would configure it, and Prometheus presents it.
 */
class MetricsIT {

    private static final String TOKEN = "metrics-it-token-0123456789";
    private static final int PUSHES = 3;
    private static final int CLONES_V2 = 2;
    private static final int CLONES_V0 = 1;

    @TempDir
    Path tmp;

    @Test
    void prometheusCountsThePushesAndClonesItScraped() throws Exception {
        try (BootableServer server = BootableServer.start(tmp.resolve("server"), "-Dgitwar.admin.token=" + TOKEN,
                "-Dgitwar.metrics.require-token=true");
                PrometheusServer prometheus = PrometheusServer.start(tmp.resolve("prometheus"), BootableServer.HTTP_PORT,
                        TOKEN)) {
            String metrics = server.url() + "-/metrics";
            assertEquals(401, Http.get(metrics).statusCode());
            assertEquals(401, Http.get(metrics, "Authorization", "Bearer wrong-" + TOKEN).statusCode());
            prometheus.awaitScrapeAfterNow(); // Prometheus reads them with the token

            String url = server.url() + "team/metered.git";
            GitCli git = new GitCli(tmp.resolve("home"));
            WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
            for (int i = 0; i < PUSHES; i++) {
                work.commitMany(3, 10_000, i);
                work.push(url);
            }
            for (int i = 0; i < CLONES_V2 + CLONES_V0; i++) {
                String protocol = i < CLONES_V2 ? "2" : "0";
                git.ok(tmp, "-c", "protocol.version=" + protocol, "clone", "-q", url, "clone-" + i);
            }
            prometheus.awaitScrapeAfterNow();

            assertEquals(PUSHES, prometheus.scalar("sum(gitwar_pushes_total{outcome=\"stored\"})"));
            assertEquals(0, prometheus.scalar("sum(gitwar_pushes_total{outcome!=\"stored\"})"));
            assertEquals(PUSHES, prometheus.scalar("sum(gitwar_push_duration_seconds_count)"));
            assertEquals(CLONES_V2, prometheus.scalar("gitwar_fetches_total{protocol=\"v2\"}"));
            assertEquals(CLONES_V0, prometheus.scalar("gitwar_fetches_total{protocol=\"v0\"}"));
            assertEquals(CLONES_V2 + CLONES_V0, prometheus.scalar("sum(gitwar_fetch_duration_seconds_count)"));
            assertTrue(prometheus.scalar("gitwar_push_bytes_total") > PUSHES * 10_000);
            assertTrue(prometheus.scalar("sum(gitwar_fetch_bytes_total)") > CLONES_V2 * 30_000);
            assertEquals(0, prometheus.scalar("sum(gitwar_fetches_refused_total)"));
            assertEquals(1, prometheus.scalar("count(gitwar_open_repositories)"));
            assertEquals(1, prometheus.scalar("count(gitwar_push_queue_waiting)"));
            assertEquals(1, prometheus.scalar("count(gitwar_block_cache_hit_ratio)"));
            assertTrue(prometheus.scalar("sum(jvm_memory_used_bytes{area=\"heap\"})") > 0);
            assertEquals(0, prometheus.query("{__name__=~\"gitwar_.+\", repository!=\"\"}").size());

            HttpResponse<byte[]> scrape = Http.get(metrics, "Authorization", "Bearer " + TOKEN);
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertFalse(Http.text(scrape).contains("metered"), "no repository names in the metrics");
            assertTrue(Files.isDirectory(tmp.resolve("clone-0/.git")));
        }
    }
}
