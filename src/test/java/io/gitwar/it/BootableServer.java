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

/**
 * The bootable JAR the build made, started with settings of a test's own (limits, read-only) on
 * 127.0.0.1 and the ports the pom gives bootable servers ({@code it.bootable.http-port},
 * {@code it.bootable.management-port}). Started ready (its HTTP port answers), stopped by
 * {@link #close()}. One at a time per build.
 */
public final class BootableServer implements AutoCloseable {

    public static final int HTTP_PORT = Integer.getInteger("it.bootable.http-port", 8380);
    public static final int MANAGEMENT_PORT = Integer.getInteger("it.bootable.management-port", 10290);

    private final Process process;
    private final Path log;

    private BootableServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the server with its data under {@code work} and the given -D settings; waits until it answers. */
    public static BootableServer start(Path work, String... systemProperties) throws IOException, InterruptedException {
        Path jar = Path.of("target/gitwar-bootable.jar").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dgitwar.data-dir=" + work.resolve("data")));
        cmd.addAll(List.of(systemProperties));
        cmd.addAll(List.of("-jar", jar.toString(), "--install-dir=" + work.resolve("install"),
                "-Djboss.http.port=" + HTTP_PORT, "-Djboss.management.http.port=" + MANAGEMENT_PORT));
        Files.createDirectories(work);
        Path log = work.resolve("server.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BootableServer server = new BootableServer(p, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(server.url() + "probe.git/HEAD")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("server did not answer within 5 minutes: " + Files.readString(log));
                }
                Thread.sleep(200); // polling a port that is not open yet: there is nothing to wait on
            }
        }
    }

    /** http://127.0.0.1:PORT/git/ */
    public String url() {
        return "http://127.0.0.1:" + HTTP_PORT + "/git/";
    }

    /** What the server printed so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
