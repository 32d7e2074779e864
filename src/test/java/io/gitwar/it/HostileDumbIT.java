package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.StoreInspection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pushes can make the dumb side cost (issue 11, items 9 and 10), against a bootable JAR at
 * {@code -Xmx256m} with {@code gitwar.repack.auto-pack-limit=6} (so that a test reaches the ceiling
 * in a few pushes): large objects and deltas of large bases are never encoded per request on the
 * loose route, git's dumb clients find them in the packs; pushes start at most one repack per
 * interval below the ceiling, and replaced packs stay within their byte bound.
 */
class HostileDumbIT {

    @TempDir
    static Path work;

    static BootableServer server;
    static GitCli git;
    static GitCli dumb;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(work, "-Xmx256m", "-XX:+UseSerialGC", "-Dgitwar.repack.auto-pack-limit=6");
        git = new GitCli(work.resolve("home"));
        dumb = git.with("GIT_SMART_HTTP", "0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String url(String name) {
        return server.url() + name + ".git";
    }

    private static String loose(String name, String id) {
        return url(name) + "/objects/" + id.substring(0, 2) + "/" + id.substring(2);
    }

    /**
     * A small push of a 2 MiB file: its pack is listed, and none of its objects is encoded loose
     * (404); git's dumb clone finds them in the pack. An edit of that file is a delta against the
     * 2 MiB blob: not materialised loose either. A small push of small files stays loose.
     */
    @Test
    void largeObjectsAndDeltasOfLargeBasesAreFoundInPacksNotEncodedLoose() throws Exception {
        String name = "large";
        WorkRepository w = WorkRepository.init(git, work.resolve("large-src"));
        String first = w.commitSmall();
        w.push(url(name));
        assertEquals("\n", Http.text(Http.get(url(name) + "/objects/info/packs")), "a small push is loose-served");

        byte[] big = new byte[2 << 20];
        new Random(7).nextBytes(big);
        Files.write(w.dir.resolve("big.bin"), big);
        String withBig = commit(w, "a 2 MiB file");
        w.push(url(name));
        String bigBlob = git.ok(w.dir, "rev-parse", "HEAD:big.bin");
        assertEquals(404, Http.get(loose(name, bigBlob)).statusCode(), "a 2 MiB blob is not encoded per request");
        assertEquals(404, Http.head(loose(name, bigBlob)).statusCode());
        assertEquals(404, Http.get(loose(name, withBig)).statusCode(), "its pack is listed, its commit found there");
        assertEquals(1, Http.text(Http.get(url(name) + "/objects/info/packs")).lines().filter(l -> l.startsWith("P ")).count());
        assertEquals(200, Http.get(loose(name, first)).statusCode(), "the small push before stays loose");

        Path clone = work.resolve("large-clone");
        dumb.ok(work, "clone", "-q", url(name), clone.toString());
        assertArrayEquals(big, Files.readAllBytes(clone.resolve("big.bin")));

        big[1000] ^= 1; // git sends the edit as a delta against the 2 MiB blob
        Files.write(w.dir.resolve("big.bin"), big);
        commit(w, "an edit of the 2 MiB file");
        w.push(url(name));
        String edited = git.ok(w.dir, "rev-parse", "HEAD:big.bin");
        assertEquals(404, Http.get(loose(name, edited)).statusCode(), "a delta of a 2 MiB base is not materialised");
        dumb.ok(clone, "pull", "-q", "--ff-only");
        assertArrayEquals(big, Files.readAllBytes(clone.resolve("big.bin")));

        String small = w.commitSmall(); // its tree is a delta of the last one: small, so loose
        w.push(url(name));
        String tree = git.ok(w.dir, "rev-parse", "HEAD^{tree}");
        assertEquals(200, Http.get(loose(name, small)).statusCode());
        assertEquals(200, Http.get(loose(name, tree)).statusCode());
        dumb.ok(clone, "pull", "-q", "--ff-only");
        assertEquals(small, git.ok(clone, "rev-parse", "HEAD"));
        git.ok(clone, "fsck", "--full", "--strict");
    }

    /** 304, HEAD and a one-byte range of a loose object: validators first, the same bytes as a GET. */
    @Test
    void conditionalHeadAndRangeRequestsOfALooseObject() throws Exception {
        String name = "conditional";
        WorkRepository w = WorkRepository.init(git, work.resolve("conditional-src"));
        String id = w.commitSmall();
        w.push(url(name));
        HttpResponse<byte[]> whole = Http.get(loose(name, id));
        assertEquals(200, whole.statusCode());
        assertArrayEquals(w.looseFile(id), whole.body(), "git's own loose encoding");
        assertEquals(304, Http.get(loose(name, id), "If-None-Match", "\"" + id + "\"").statusCode());
        HttpResponse<byte[]> head = Http.head(loose(name, id));
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(whole.body().length), head.headers().firstValue("Content-Length").orElse(null));
        HttpResponse<byte[]> oneByte = Http.get(loose(name, id), "Range", "bytes=1-1");
        assertEquals(206, oneByte.statusCode());
        assertArrayEquals(Arrays.copyOfRange(whole.body(), 1, 2), oneByte.body());
    }

    /**
     * Four listed pushes start a repack (gitwar.repack.listed-pack-limit 3); four more within the
     * minimum interval (10 minutes) only postpone the next one; a push that reaches the ceiling
     * (auto-pack-limit, 6 here) repacks at once.
     */
    @Test
    void pushesStartAtMostOneRepackPerIntervalBelowTheCeiling() throws Exception {
        String name = "rate";
        WorkRepository w = WorkRepository.init(git, work.resolve("rate-src"));
        for (int i = 0; i < 4; i++) {
            w.commitMany(110, 0, i);
            w.push(url(name));
        }
        Await.until(Duration.ofMinutes(2), "the first repack", () -> repacks(name) == 1);
        for (int i = 4; i < 8; i++) {
            w.commitMany(110, 0, i);
            w.push(url(name));
        }
        Await.until(Duration.ofMinutes(2), "the next repack postponed",
                () -> server.log().contains("repack of " + name + " (") && server.log().contains(") postponed until"));
        assertEquals(1, repacks(name), "one repack in the interval");
        w.commitMany(110, 0, 8); // the sixth pack: the ceiling
        w.push(url(name));
        Await.until(Duration.ofMinutes(2), "the repack at the ceiling", () -> repacks(name) == 2);
        Path clone = work.resolve("rate-clone");
        dumb.ok(work, "clone", "-q", url(name), clone.toString());
        assertEquals(git.ok(w.dir, "rev-parse", "HEAD"), git.ok(clone, "rev-parse", "HEAD"));
    }

    /**
     * Repeated repacks of a 3 MiB repository each replace a full copy, which used to be kept for
     * the whole grace period (an hour): three repacks kept two copies besides the live one. Now
     * replaced packs take at most as many bytes as the live ones, besides what the latest repack
     * replaced: the older copies are deleted, and the log says so.
     */
    @Test
    void replacedPacksStayWithinTheirByteBound() throws Exception {
        String name = "bound";
        WorkRepository w = WorkRepository.init(git, work.resolve("bound-src"));
        w.commitMany(110, 3 << 20, 100);
        w.push(url(name));
        for (int repack = 1; repack <= 3; repack++) {
            for (int i = 0; i < 5; i++) { // five more packs: the ceiling of 6, which does not wait
                w.commitSmall();
                w.push(url(name));
                // a dumb client reads the pack list: the packs it names are kept for their grace period
                assertEquals(200, Http.get(url(name) + "/objects/info/packs").statusCode());
            }
            int expected = repack;
            Await.until(Duration.ofMinutes(2), "repack " + repack, () -> repacks(name) == expected);
        }
        Path file = Deployments.repositoryFile(work.resolve("data"), name);
        long live = StoreInspection.packBytes(file, false);
        long replaced = StoreInspection.packBytes(file, true);
        assertTrue(replaced <= live * 6 / 5, replaced + " bytes of replaced packs for " + live + " live");
        assertTrue(server.log().contains("packs of " + name + " replaced by earlier repacks"), "logged");
        Path clone = work.resolve("bound-clone");
        dumb.ok(work, "clone", "-q", url(name), clone.toString());
        assertEquals(git.ok(w.dir, "rev-parse", "HEAD"), git.ok(clone, "rev-parse", "HEAD"));
    }

    /**
     * A pack no reader can need any more (no snapshot from before the repack open, no pack list
     * naming it, not loose-served) is deleted once the repack that replaced it is done, not after
     * the grace period: a first push's pack does not double the file for an hour.
     */
    @Test
    void aReplacedPackNoReaderNeedsIsDeletedAtOnce() throws Exception {
        String name = "unneeded";
        WorkRepository w = WorkRepository.init(git, work.resolve("unneeded-src"));
        w.commitMany(110, 3 << 20, 100);
        w.push(url(name));
        for (int i = 0; i < 5; i++) { // the ceiling of 6 packs: a repack at once
            w.commitSmall();
            w.push(url(name));
        }
        Await.until(Duration.ofMinutes(2), "the repack", () -> repacks(name) == 1);
        Path file = Deployments.repositoryFile(work.resolve("data"), name);
        // what stays are the five small pushes' packs (loose-served), a few KiB; the first push's is 3 MiB
        Await.until(Duration.ofMinutes(1), "the first push's replaced pack deleted",
                () -> StoreInspection.packBytes(file, true) < 64 << 10);
        assertTrue(server.log().contains("packs of " + name + " replaced by a repack: no reader needs them"), "logged");
        Path clone = work.resolve("unneeded-clone");
        dumb.ok(work, "clone", "-q", url(name), clone.toString());
        assertEquals(git.ok(w.dir, "rev-parse", "HEAD"), git.ok(clone, "rev-parse", "HEAD"));
    }

    /**
     * A first push is already one pack of everything its refs reach: the repack its size calls for
     * ({@code gitwar.repack.auto}) gives it a bitmap and a commit graph in place, so the file holds
     * the push once, nothing is replaced, and the pack a dumb client listed before is still the one.
     */
    @Test
    void aBigFirstPushGetsItsBitmapWithoutBeingRewritten() throws Exception {
        String name = "in-place";
        WorkRepository w = WorkRepository.init(git, work.resolve("in-place-src"));
        w.commitMany(3500, 0, 1);
        w.commitMany(3500, 0, 2); // over 7000 objects, more than gitwar.repack.auto's 6700
        w.push(url(name));
        String listed = Http.text(Http.get(url(name) + "/objects/info/packs"));
        Await.until(Duration.ofMinutes(2), "the repack", () -> repacks(name) == 1);
        assertTrue(server.log().lines().anyMatch(l -> l.contains("repacked " + name + " (")
                && l.contains("given a bitmap and a commit graph in place")), "in place");
        Path file = Deployments.repositoryFile(work.resolve("data"), name);
        assertTrue(StoreInspection.hasBitmap(file), "bitmap");
        assertEquals(0, StoreInspection.packBytes(file, true), "nothing replaced");
        assertEquals(listed, Http.text(Http.get(url(name) + "/objects/info/packs")));
        String head = git.ok(w.dir, "rev-parse", "HEAD");
        for (GitCli client : List.of(git, dumb)) {
            Path clone = work.resolve("in-place-clone-" + (client == git ? "smart" : "dumb"));
            client.ok(work, "clone", "-q", url(name), clone.toString());
            assertEquals(head, git.ok(clone, "rev-parse", "HEAD"));
            git.ok(clone, "fsck", "--full", "--strict");
        }
    }

    private static int repacks(String name) throws Exception {
        return (int) server.log().lines().filter(l -> l.contains("repacked " + name + " (")).count();
    }

    private static String commit(WorkRepository w, String message) throws Exception {
        git.ok(w.dir, "add", "-A");
        git.ok(w.dir, "commit", "-q", "-m", message);
        return git.ok(w.dir, "rev-parse", "HEAD");
    }
}
