package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.StoreInspection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What dumb clients cost after many pushes, counted through a recording proxy: background repacks keep
 * a repository to a few packs, so a clone fetches few indexes; a fetch after a small push fetches
 * loose objects and no pack; an interrupted pack download is resumed with Range.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RepackAndResumeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    GitCli git;
    GitCli dumb;
    RecordingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        git = new GitCli(tmp.resolve("home"));
        dumb = git.with("GIT_SMART_HTTP", "0");
        proxy = new RecordingProxy(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void fiftySmallPushesSettleIntoAFewPacksAndDumbFetchesStayCheap() throws Exception {
        String name = Deployments.repo("fifty");
        String direct = base + name + ".git";
        String proxied = proxy.base() + base.getPath() + name + ".git";
        Path file = Deployments.repositoryFile(name);
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        String bigPush = work.commitMany(150, 0, 7);
        work.push(direct);
        String firstPack = Http.text(Http.get(direct + "/objects/info/packs")).split("\n")[0].substring(2);
        String smallPush = null;
        for (int i = 0; i < 50; i++) {
            smallPush = work.commitSmall();
            work.push(direct);
        }
        // gitwar.repack.auto-pack-limit (50) was reached by the 50th pack: a repack runs in the background
        Await.until(Duration.ofMinutes(2), "the repack after 50 pushes", () -> StoreInspection.livePacks(file) <= 3);
        int packs = StoreInspection.livePacks(file);
        assertTrue(StoreInspection.hasBitmap(file), "a full repack writes a reachability bitmap");
        // the replaced pack is no longer listed, but a client that listed it a moment ago still gets it
        assertFalse(Http.text(Http.get(direct + "/objects/info/packs")).contains(firstPack));
        assertEquals(200, Http.get(direct + "/objects/pack/" + firstPack).statusCode(), firstPack);
        // objects that were loose stay loose for a clone that began before the repack; the others are
        // found through the new pack list
        assertEquals(200, Http.get(direct + "/objects/" + smallPush.substring(0, 2) + "/" + smallPush.substring(2)).statusCode());
        assertEquals(404, Http.get(direct + "/objects/" + bigPush.substring(0, 2) + "/" + bigPush.substring(2)).statusCode());

        Path clone = tmp.resolve("clone");
        dumb.ok(tmp, "clone", "-q", proxied, clone.toString());
        long indexes = count(proxy.requests(), ".idx");
        assertTrue(indexes >= 1 && indexes <= packs, indexes + " index downloads for " + packs + " packs");
        assertEquals(work.git.ok(work.dir, "rev-parse", "HEAD"), git.ok(clone, "rev-parse", "HEAD"));
        fsckClean(clone);

        proxy.clear();
        String next = work.commitSmall();
        work.push(direct);
        dumb.ok(clone, "pull", "-q", "--ff-only");
        assertEquals(next, git.ok(clone, "rev-parse", "HEAD"));
        List<RecordingProxy.Request> fetch = proxy.requests();
        assertEquals(0, count(fetch, ".pack") + count(fetch, ".idx"), "a small push is fetched loose: " + fetch);
        assertTrue(fetch.stream().anyMatch(r -> r.path().endsWith(next.substring(2)) && r.status() == 200), fetch.toString());
        fsckClean(clone);
    }

    @Test
    void anInterruptedPackDownloadIsResumedWithRange() throws Exception {
        String name = Deployments.repo("resume");
        String direct = base + name + ".git";
        String proxied = proxy.base() + base.getPath() + name + ".git";
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        work.commitSmall();
        work.push(direct);
        Path clone = tmp.resolve("clone");
        dumb.ok(tmp, "clone", "-q", proxied, clone.toString());

        String big = work.commitMany(120, 3_000_000, 11); // a listed pack of about 3 MB
        work.push(direct);
        proxy.clear();
        proxy.cutOnce(path -> path.endsWith(".pack"), 1_500_000);
        GitCli.Result cut = dumb.run(clone, "fetch", "-q", "origin");
        assertNotEquals(0, cut.exitCode(), "the cut download fails the first fetch");
        try (Stream<Path> files = Files.list(clone.resolve(".git/objects/pack"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".pack.temp")),
                    "git keeps the partial pack to resume it");
        }

        dumb.ok(clone, "fetch", "-q", "origin");
        assertEquals(big, git.ok(clone, "rev-parse", "origin/main"));
        List<RecordingProxy.Request> requests = proxy.requests();
        assertTrue(requests.stream().anyMatch(r -> r.path().endsWith(".pack") && r.status() == 206
                && r.range() != null && r.range().matches("bytes=[1-9][0-9]*-")), "resumed with Range: " + requests);
        fsckClean(clone);
    }

    private void fsckClean(Path repo) throws Exception {
        GitCli.Result fsck = git.run(repo, "fsck", "--full", "--strict");
        fsck.ok();
        assertFalse(fsck.stderr().contains("error"), fsck.stderr());
    }

    private static long count(List<RecordingProxy.Request> requests, String suffix) {
        return requests.stream().filter(r -> r.path().endsWith(suffix)).count();
    }
}
