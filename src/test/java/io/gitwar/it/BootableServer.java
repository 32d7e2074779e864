package io.gitwar.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * gitwar's bootable JAR (target/gitwar-bootable.jar) started as its own JVM with settings the
 * Arquillian server does not have, for tests of other configurations. Listens on 127.0.0.1.
 */
final class BootableServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final int httpPort;
    private final Path log;

    private BootableServer(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the JAR with {@code settings} as system properties and waits until gitwar answers.
     *
     * @param dataDir the repositories' directory; the server's log goes beside it
     */
    static BootableServer start(int httpPort, int managementPort, Path dataDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx512m");
        cmd.add("-Djava.io.tmpdir=" + Path.of("target").toAbsolutePath()); // the JAR unpacks the server there
        cmd.add("-Dgitwar.data-dir=" + dataDir.toAbsolutePath());
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(Path.of("target/gitwar-bootable.jar").toAbsolutePath().toString());
        cmd.add("-Djboss.http.port=" + httpPort);
        cmd.add("-Djboss.management.http.port=" + managementPort);
        cmd.add("-Djboss.bind.address=127.0.0.1");
        cmd.add("-Djboss.bind.address.management=127.0.0.1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BootableServer server = new BootableServer(p, httpPort, log);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Polls until gitwar answers at its context root (a 404 from its filter), the process dies, or time runs out. */
    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(base())).timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("bootable JAR exited " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404 && r.body().contains("not found")) {
                    return; // gitwar's filter answers; WildFly's welcome page would be a 200 or 403
                }
            } catch (IOException notYetAnswering) {
                // the port opens while the server boots, and a busy machine may answer late
            }
            process.waitFor(250, TimeUnit.MILLISECONDS); // returns at once if the process dies
        }
        throw new AssertionError("bootable JAR did not answer within " + START_TIMEOUT + "; log " + log + ":\n" + tail());
    }

    /** {@code http://127.0.0.1:PORT/git/} */
    String base() {
        return "http://127.0.0.1:" + httpPort + "/git/";
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: WildFly shuts down in order
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
