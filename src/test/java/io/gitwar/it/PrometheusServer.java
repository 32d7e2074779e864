package io.gitwar.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}) on 127.0.0.1 ({@code it.prometheus-port}) that
 * scrapes one gitwar's {@code /git/-/metrics} every second, and answers PromQL through its HTTP API.
 * Started ready; stopped by {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {

    static final int PORT = Integer.getInteger("it.prometheus-port", 9190);

    private final Process process;
    private final Path log;

    private PrometheusServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts Prometheus scraping {@code 127.0.0.1:gitwarPort} with {@code Authorization: Bearer token}
     * (none if null), with its data and log in {@code dir}.
     */
    static PrometheusServer start(Path dir, int gitwarPort, String token) throws Exception {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: gitwar
                    metrics_path: /git/-/metrics
                %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(token == null ? "" : "    authorization: {credentials: '" + token + "'}", gitwarPort));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(List.of("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + PORT))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, log);
        try {
            Await.until(Duration.ofMinutes(1), "Prometheus to be ready", () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("prometheus exited " + p.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    return Http.get(server.url("/-/ready")).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + PORT + path;
    }

    /**
     * Waits until Prometheus holds a scrape of gitwar taken after now, so that what happened before
     * this call is in its data.
     */
    void awaitScrapeAfterNow() throws Exception {
        double now = System.currentTimeMillis() / 1000.0;
        Await.until(Duration.ofSeconds(30), "a scrape of gitwar after " + now, () -> {
            // timestamp() of a plain selector is the sample's; of any other expression, the query's time
            JsonArray r = query("timestamp(up{job=\"gitwar\"})");
            return !r.isEmpty() && value(r.getJsonObject(0)) > now;
        });
        if (scalar("up{job=\"gitwar\"}") != 1) {
            throw new AssertionError("Prometheus could not scrape gitwar: " + query("up"));
        }
    }

    /** The single value of an instant PromQL query; fails if it has no or several series. */
    double scalar(String promql) throws Exception {
        JsonArray result = query(promql);
        if (result.size() != 1) {
            throw new AssertionError(promql + " gave " + result);
        }
        return value(result.getJsonObject(0));
    }

    /** An instant query's vector, through the HTTP API ({@code /api/v1/query}). */
    JsonArray query(String promql) throws Exception {
        HttpResponse<byte[]> r = Http.get(url("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        try (JsonReader reader = Json.createReader(new StringReader(Http.text(r)))) {
            JsonObject answer = reader.readObject();
            if (r.statusCode() != 200 || !"success".equals(answer.getString("status"))) {
                throw new AssertionError(promql + ": " + r.statusCode() + " " + answer);
            }
            return answer.getJsonObject("data").getJsonArray("result");
        }
    }

    private static double value(JsonObject sample) {
        return Double.parseDouble(sample.getJsonArray("value").getString(1));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
