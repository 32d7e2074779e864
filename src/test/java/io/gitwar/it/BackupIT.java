package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups, restores and forks through the API, on a bootable JAR with the admin token: backups
 * taken while pushes and clones run are each one sound SQLite file holding a state the server
 * acknowledged; a corrupt or truncated file is refused on restore and nothing changes.
 */
class BackupIT {

    static final int BACKUPS = 20;

    @TempDir
    static Path tmp;

    static BootableServer server;
    static Api api;
    static GitCli git;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(tmp.resolve("server"), "-Dgitwar.admin.token=" + ApiIT.TOKEN);
        api = new Api(server.url(), ApiIT.TOKEN);
        git = new GitCli(tmp.resolve("home"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void backupsTakenWhilePushesAndClonesRunHoldAcknowledgedStates() throws Exception {
        String url = server.url() + "live.git";
        Path work = SampleRepository.create(git, tmp.resolve("live"));
        git.ok(work, "push", "-q", url, "--all");
        git.ok(work, "push", "-q", url, "--tags");
        Map<String, String> fixed = refs(git.ok(work, "ls-remote", url));
        fixed.remove("HEAD");
        fixed.remove("refs/heads/main");

        // acknowledged values of main, in order: a backup holds one at or after the last one
        // acknowledged before it began
        List<String> acknowledged = new CopyOnWriteArrayList<>(List.of(fixedMain(work)));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger clones = new AtomicInteger();
        Thread pusher = new Thread(() -> {
            try {
                Random random = new Random(7);
                byte[] data = new byte[200_000];
                for (int i = 0; !stop.get(); i++) {
                    random.nextBytes(data);
                    Files.write(work.resolve("load.bin"), data);
                    git.ok(work, "add", "load.bin");
                    git.ok(work, "commit", "-q", "-m", "load " + i);
                    git.ok(work, "push", "-q", url, "main");
                    acknowledged.add(git.ok(work, "rev-parse", "HEAD"));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        Thread cloner = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    Path clone = tmp.resolve("load-clone-" + i);
                    git.ok(tmp, "clone", "-q", "--bare", url, clone.toString());
                    clones.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        pusher.start();
        cloner.start();
        List<String> backedUp = new ArrayList<>();
        List<Integer> floor = new ArrayList<>();
        try {
            for (int i = 0; i < BACKUPS; i++) {
                floor.add(acknowledged.size() - 1);
                Path file = tmp.resolve("backup-" + i + ".sqlite");
                HttpResponse<Path> r = api.download("repos/live.git/backup", file);
                assertEquals(200, r.statusCode());
                assertEquals("application/vnd.sqlite3", r.headers().firstValue("Content-Type").orElse(""));
                assertEquals(Files.size(file), r.headers().firstValueAsLong("Content-Length").orElse(-1));
                assertEquals("ok", integrityCheck(file), "backup " + i);
                Api.Reply restored = api.putFile("repos/restored/b" + i + ".git/backup", file);
                assertEquals(201, restored.status(), restored.toString());
                Map<String, String> refs = refs(git.ok(tmp, "ls-remote", server.url() + "restored/b" + i + ".git"));
                backedUp.add(refs.remove("refs/heads/main"));
                refs.remove("HEAD");
                assertEquals(fixed, refs, "backup " + i);
            }
        } finally {
            stop.set(true);
            pusher.join();
            cloner.join();
        }
        assertNull(failure.get(), () -> "a client failed during the backups: " + failure.get());
        assertTrue(acknowledged.size() > 3 && clones.get() > 1, acknowledged.size() + " pushes, " + clones + " clones");
        for (int i = 0; i < BACKUPS; i++) {
            int at = acknowledged.indexOf(backedUp.get(i));
            assertTrue(at >= floor.get(i), "backup " + i + " holds main at acknowledged push " + at
                    + ", but push " + floor.get(i) + " was acknowledged before it began");
            Path clone = tmp.resolve("restored-clone-" + i);
            git.ok(tmp, "clone", "-q", server.url() + "restored/b" + i + ".git", clone.toString());
            git.ok(clone, "fsck", "--full", "--strict");
        }
        // backups are scratch files: none is left in the spool
        try (var spool = Files.list(tmp.resolve("server/data/.spool"))) {
            assertEquals(List.of(), spool.filter(p -> p.toString().endsWith(".sqlite")).toList());
        }
    }

    @Test
    void restoreRefusesBadFilesAndChangesNothing() throws Exception {
        String url = server.url() + "kept.git";
        Path work = SampleRepository.create(git, tmp.resolve("kept"));
        git.ok(work, "push", "-q", url, "--all");
        String before = git.ok(work, "ls-remote", url);
        Path good = tmp.resolve("kept.sqlite");
        assertEquals(200, api.download("repos/kept.git/backup", good).statusCode());
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.sqlite");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path corrupt = tmp.resolve("corrupt.sqlite");
        byte[] c = bytes.clone();
        int pack = indexOf(c, "PACK".getBytes());
        for (int i = pack + 20; i < pack + 4096; i++) {
            c[i] ^= 0x5a;
        }
        Files.write(corrupt, c);
        Path text = tmp.resolve("text.sqlite");
        Files.writeString(text, "not a repository\n".repeat(1000));

        for (Path bad : List.of(truncated, corrupt, text)) {
            Api.Reply asNew = api.putFile("repos/fresh.git/backup", bad);
            assertEquals(422, asNew.status(), bad + ": " + asNew);
            assertEquals(404, api.get("repos/fresh.git").status(), bad + " left nothing");
            Api.Reply over = api.putFile("repos/kept.git/backup?replace=true", bad);
            assertEquals(422, over.status(), bad + ": " + over);
            assertEquals(before, git.ok(work, "ls-remote", url), bad + " changed nothing");
        }
        assertEquals(409, api.putFile("repos/kept.git/backup", good).status());
        assertEquals(400, api.putFile("repos/-/x.git/backup", good).status());
        assertEquals(404, api.download("repos/nobody.git/backup", tmp.resolve("none")).statusCode());

        // a good file replaces the repository when asked to
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "after the backup");
        git.ok(work, "push", "-q", url, "main");
        assertFalse(before.equals(git.ok(work, "ls-remote", url)));
        Api.Reply replaced = api.putFile("repos/kept.git/backup?replace=true", good);
        assertEquals(200, replaced.status(), replaced.toString());
        assertEquals(before, git.ok(work, "ls-remote", url), "back to the backup's refs");
        try (var staging = Files.list(tmp.resolve("server/data/.staging"))) {
            assertEquals(List.of(), staging.toList(), "no staged file is left");
        }
    }

    @Test
    void forkCopiesObjectsAndRefs() throws Exception {
        String url = server.url() + "origin.git";
        Path work = SampleRepository.create(git, tmp.resolve("origin"));
        git.ok(work, "push", "-q", url, "--all");
        git.ok(work, "push", "-q", url, "--tags");
        assertEquals(200, api.patch("repos/origin.git", "{\"read_only\":true}").status());

        Api.Reply fork = api.post("repos/origin.git/fork", "{\"name\":\"forks/mine\"}");
        assertEquals(201, fork.status(), fork.toString());
        assertTrue(fork.response().headers().firstValue("Location").orElse("").endsWith("repos/forks/mine.git"));
        assertFalse(fork.json().getBoolean("read_only"), "a fork is a new, writable repository");
        String forkUrl = server.url() + "forks/mine.git";
        assertEquals(git.ok(work, "ls-remote", url), git.ok(work, "ls-remote", forkUrl));
        Path clone = tmp.resolve("fork-clone");
        git.ok(tmp, "clone", "-q", forkUrl, clone.toString());
        git.ok(clone, "fsck", "--full", "--strict");
        git.ok(clone, "commit", "-q", "--allow-empty", "-m", "on the fork");
        git.ok(clone, "push", "-q", "origin", "main");
        assertFalse(git.ok(work, "ls-remote", url).equals(git.ok(work, "ls-remote", forkUrl)), "independent copies");

        assertEquals(409, api.post("repos/origin.git/fork", "{\"name\":\"forks/mine\"}").status());
        assertEquals(404, api.post("repos/nobody.git/fork", "{\"name\":\"forks/other\"}").status());
        assertEquals(400, api.post("repos/origin.git/fork", "{\"name\":\"-/x\"}").status());
        assertEquals(400, api.post("repos/origin.git/fork", "{}").status());
    }

    static String integrityCheck(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String fixedMain(Path work) throws Exception {
        return git.ok(work, "rev-parse", "main");
    }

    static Map<String, String> refs(String lsRemote) {
        Map<String, String> refs = new TreeMap<>();
        for (String line : lsRemote.split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                refs.put(f[1], f[0]);
            }
        }
        return refs;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        int at = indexOf(haystack, needle, 0);
        if (at < 0) {
            throw new AssertionError("not found");
        }
        return at;
    }

    /** Where {@code needle} first occurs in {@code haystack} at or after {@code from}; -1 if nowhere. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
