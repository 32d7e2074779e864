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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * gitwar started as its own JVM with settings the Arquillian server does not have (limits, read-only,
 * dumb reads, CORS origins), on 127.0.0.1 and the ports the pom gives such servers
 * ({@code it.bootable.http-port}, {@code it.bootable.management-port}): on WildFly the bootable JAR
 * (target/gitwar-bootable.jar), on Payara ({@link TestedServer}) Payara Micro (target/payara-micro.jar)
 * with target/git.war and gitwar's pre-boot commands, as the README runs it. Started ready (gitwar
 * answers), stopped by {@link #close()}. One at a time per build: failsafe runs the test classes one
 * after another.
 */
public final class BootableServer implements AutoCloseable {

    public static final int HTTP_PORT = Integer.getInteger("it.bootable.http-port", 8380);
    public static final int MANAGEMENT_PORT = Integer.getInteger("it.bootable.management-port", 10290);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5); // a deadline for a hung start, not a speed check: a loaded 2-core machine took 3

    private final Process process;
    private final Path log;

    private BootableServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the server with its repositories in {@code work/data}, {@code -D} settings such as
     * {@code -Dgitwar.read-only=true} and JVM options such as {@code -Xmx256m} (which replace the default heap).
     */
    public static BootableServer start(Path work, String... systemPropertiesAndJvmOptions)
            throws IOException, InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> jvmOptions = new ArrayList<>();
        for (String p : systemPropertiesAndJvmOptions) {
            int eq = p.indexOf('=');
            if (p.startsWith("-D") && eq > 2) {
                settings.put(p.substring(2, eq), p.substring(eq + 1));
            } else {
                jvmOptions.add(p);
            }
        }
        return start(work.resolve("data"), settings, jvmOptions);
    }

    /**
     * Starts the JAR with {@code settings} as system properties and waits until gitwar answers.
     *
     * @param dataDir the repositories' directory; the server's log goes beside it
     */
    public static BootableServer start(Path dataDir, Map<String, String> settings) throws IOException, InterruptedException {
        return start(dataDir, settings, List.of());
    }

    private static BootableServer start(Path dataDir, Map<String, String> settings, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+ExitOnOutOfMemoryError"); // as the README runs it: a JVM out of memory exits
        cmd.addAll(jvmOptions); // after the default: the JVM takes the last -Xmx
        cmd.add("-Djava.io.tmpdir=" + Path.of("target").toAbsolutePath()); // both unpack their runtime there
        cmd.add("-Dgitwar.data-dir=" + dataDir.toAbsolutePath());
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        if (TestedServer.isPayara()) {
            cmd.addAll(List.of(Path.of("target/payara-micro.jar").toAbsolutePath().toString(), "--nohazelcast",
                    "--port", Integer.toString(HTTP_PORT),
                    "--prebootcommandfile", Path.of("src/main/payara/pre-boot-commands.asadmin").toAbsolutePath().toString(),
                    "--deploy", Path.of("target/git.war").toAbsolutePath().toString()));
        } else {
            cmd.add(Path.of("target/gitwar-bootable.jar").toAbsolutePath().toString());
            cmd.add("-Djboss.http.port=" + HTTP_PORT);
            cmd.add("-Djboss.management.http.port=" + MANAGEMENT_PORT);
            cmd.add("-Djboss.bind.address=127.0.0.1");
            cmd.add("-Djboss.bind.address.management=127.0.0.1");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BootableServer server = new BootableServer(p, log);
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
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url())).timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404 && r.body().contains("not found")
                        && r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
                    return; // gitwar's filter answers; the server's own pages are 200/403 or HTML
                }
            } catch (IOException notYetAnswering) {
                // the port opens while the server boots, and a busy machine may answer late
            }
            process.waitFor(250, TimeUnit.MILLISECONDS); // returns at once if the process dies
        }
        throw new AssertionError("server did not answer within " + START_TIMEOUT + "; log " + log + ":\n" + tail());
    }

    /**
     * The server's own MicroProfile Health endpoint of {@code kind} ({@code ready}, {@code live}):
     * WildFly serves it on its management port, Payara on the HTTP port.
     */
    public String serverHealthUrl(String kind) {
        int port = TestedServer.isPayara() ? HTTP_PORT : MANAGEMENT_PORT;
        return "http://127.0.0.1:" + port + "/health/" + kind;
    }

    /** {@code http://127.0.0.1:PORT/git/} */
    public String url() {
        return "http://127.0.0.1:" + HTTP_PORT + "/git/";
    }

    /**
     * How many file descriptors the server process holds open on {@code file} right now
     * ({@code /proc/PID/fd}; the bootable JAR runs WildFly in its own process).
     */
    public long openDescriptors(Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        long n = 0;
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(target)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while the directory was listed
                }
            }
        }
        return n;
    }

    /** The server's process id (the JVM itself: the JAR runs in the process started here). */
    public long pid() {
        return process.pid();
    }

    /** What the server printed so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** {@code kill -9}: the server stops at once, with no shutdown of any kind. Idempotent with {@link #close()}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: WildFly and Payara shut down in order
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
