package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness on a real file system of its own (a 64 MiB tmpfs the test mounts; it runs as root): not
 * ready while the data directory is read-only or its free space is below {@code gitwar.min-free-disk-mib},
 * ready again after, on gitwar's {@code /git/-/health/ready} and the server's own {@code /health/ready}
 * (WildFly's on its management port, Payara's on the HTTP port) alike. Liveness stays up throughout: none of this is cured by a restart.
 */
class HealthIT {

    private static final long FLOOR_MIB = 16;

    @TempDir
    Path tmp;

    @Test
    void notReadyWhileTheDataDirectoryIsReadOnlyOrItsDiskBelowTheFloorAndReadyAgainAfter() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("server/data"));
        sh("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", data.toString());
        try (BootableServer server = BootableServer.start(tmp.resolve("server"),
                "-Dgitwar.min-free-disk-mib=" + FLOOR_MIB)) {
            String ready = server.url() + "-/health/ready";
            String live = server.url() + "-/health/live";
            String standard = server.serverHealthUrl("ready");
            assertStatus(200, "UP", ready, Map.of("data-directory", "UP", "disk-space", "UP", "sqlite", "UP",
                    "push-queues", "UP"));
            assertSameChecks(ready, standard);
            assertStatus(200, "UP", live, Map.of("gitwar", "UP"));

            // read-only first: a file open for writing (a repository's) would keep the remount from happening
            sh("mount", "-o", "remount,ro", data.toString());
            try {
                JsonObject down = assertStatus(503, "DOWN", ready, Map.of("data-directory", "DOWN", "sqlite", "UP"));
                assertTrue(down.toString().contains("Read-only file system"), down.toString());
                assertTrue(!down.toString().contains(data.toString()), "no paths in a public answer: " + down);
                assertSameChecks(ready, standard);
                assertStatus(200, "UP", live, Map.of("gitwar", "UP"));
            } finally {
                sh("mount", "-o", "remount,rw", data.toString());
            }
            assertStatus(200, "UP", ready, Map.of("data-directory", "UP"));

            GitCli git = new GitCli(tmp.resolve("home"));
            WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
            work.commitMany(3, 1000, 1);
            work.push(server.url() + "health.git");

            Path filler = data.resolve("filler.bin"); // leaves half the floor free
            fill(filler, Files.getFileStore(data).getUsableSpace() - (FLOOR_MIB << 20) / 2);
            JsonObject full = assertStatus(503, "DOWN", ready, Map.of("disk-space", "DOWN", "data-directory", "UP"));
            assertTrue(full.toString().contains("floor_bytes"), full.toString());
            assertSameChecks(ready, standard);
            assertStatus(200, "UP", live, Map.of("gitwar", "UP"));
            work.commitMany(3, 1000, 2);
            GitCli.Result refused = git.run(work.dir, "push", server.url() + "health.git", "main");
            assertNotEquals(0, refused.exitCode(), "not ready means pushes are refused up front");
            assertTrue(refused.stderr().contains("the server's disk is nearly full"), refused.stderr());

            Files.delete(filler);
            assertStatus(200, "UP", ready, Map.of("disk-space", "UP"));
            assertSameChecks(ready, standard);
            work.push(server.url() + "health.git");
        } finally {
            sh("umount", "-l", data.toString());
        }
    }

    /** Asserts the answer's status code, overall status and the named checks' statuses; returns its JSON. */
    private static JsonObject assertStatus(int code, String status, String url, Map<String, String> checks)
            throws Exception {
        HttpResponse<byte[]> r = Http.get(url);
        JsonObject answer = json(r);
        assertEquals(code, r.statusCode(), answer.toString());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(status, answer.getString("status"), answer.toString());
        Map<String, String> found = statuses(answer);
        checks.forEach((name, expected) -> assertEquals(expected, found.get(name), name + " in " + answer));
        return answer;
    }

    /** gitwar's checks answer alike on its URL and on the server's standard endpoint (which adds its own). */
    private static void assertSameChecks(String gitwar, String standard) throws Exception {
        HttpResponse<byte[]> ours = Http.get(gitwar);
        HttpResponse<byte[]> servers = Http.get(standard);
        assertEquals(ours.statusCode(), servers.statusCode(), Http.text(ours) + " / " + Http.text(servers));
        Map<String, String> theirs = statuses(json(servers));
        statuses(json(ours)).forEach((name, status) -> assertEquals(status, theirs.get(name), name + " in " + theirs));
    }

    private static Map<String, String> statuses(JsonObject answer) {
        return answer.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        try (JsonReader reader = Json.createReader(new StringReader(Http.text(r)))) {
            return reader.readObject();
        }
    }

    /** Writes {@code bytes} of zeros (tmpfs has no holes to leave: every page written takes its room). */
    private static void fill(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - written));
                written += ch.write(chunk);
            }
        }
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
