package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git CLI fetching over smart HTTP (git-upload-pack) from the real server, every scenario in
 * protocol v2 (git's default) and v0 ({@code -c protocol.version=0}); each resulting repository
 * must pass {@code git fsck}. A packet trace proves which protocol was spoken.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SmartFetchIT {

    private static final List<String> PROTOCOLS = List.of("2", "0");
    /** Commit dates of SampleRepository's main: 1700000000 + n hours, n = 1..6. */
    private static final String SINCE_COMMIT_4 = "@" + (1_700_000_000L + 4 * 3600L);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    private GitCli git;
    private Path src;

    @BeforeEach
    void sample() throws Exception {
        git = new GitCli(tmp.resolve("home"));
        src = SampleRepository.create(git, tmp.resolve("src"));
    }

    /** Pushes the sample to a new repository; returns its URL. */
    private String pushed(String name) throws Exception {
        String url = base + Deployments.repo(name) + ".git";
        GitCli.Result push = git.run(src, "push", "--progress", "--mirror", url).ok();
        // progress on push comes from the server (JGit's receive-pack) over side-band 2
        assertTrue(push.stderr().contains("remote: Resolving deltas"), push.stderr());
        return url;
    }

    /** git with the protocol version forced and a packet trace into {@code trace}. */
    private GitCli.Result fetchGit(String protocol, Path dir, Path trace, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "-c";
        all[1] = "protocol.version=" + protocol;
        System.arraycopy(args, 0, all, 2, args.length);
        return git.with("GIT_TRACE_PACKET", trace.toString()).run(dir, all);
    }

    private void assertProtocol(String protocol, Path trace) throws Exception {
        String packets = Files.readString(trace);
        assertEquals(protocol.equals("2"), packets.contains("< version 2"), "protocol v" + protocol + " spoken");
        assertTrue(packets.contains("git-upload-pack") || packets.contains("fetch"), "smart: " + packets.length());
    }

    private void assertFsckClean(Path repo, String what) throws Exception {
        GitCli.Result fsck = git.run(repo, "fsck", "--full", "--strict").ok();
        assertFalse(fsck.stderr().contains("error"), what + ": " + fsck.stderr());
    }

    private String refs(Path repo) throws Exception {
        return git.ok(repo, "for-each-ref", "--format=%(objectname) %(refname)");
    }

    @Test
    void cloneAndIncrementalFetchWithProgress() throws Exception {
        for (String p : PROTOCOLS) {
            String url = pushed("smart-clone-v" + p);
            Path clone = tmp.resolve("clone-v" + p);
            Path trace = tmp.resolve("trace-clone-v" + p);
            GitCli.Result r = fetchGit(p, tmp, trace, "clone", "--progress", "--mirror", url, clone.toString()).ok();
            assertProtocol(p, trace);
            // JGit's pack writer: "Counting objects", "Finding sources", then git's "Total" line
            assertTrue(r.stderr().contains("remote: Counting objects: "), "v" + p + " progress: " + r.stderr());
            assertTrue(r.stderr().contains("remote: Finding sources: "), "v" + p + " progress: " + r.stderr());
            assertTrue(r.stderr().contains("remote: Total "), "v" + p + " progress: " + r.stderr());
            assertEquals(refs(src), refs(clone), "v" + p);
            assertEquals("refs/heads/main", git.ok(clone, "symbolic-ref", "HEAD"), "v" + p);
            assertFsckClean(clone, "clone v" + p);

            // --quiet sends no-progress: no remote progress at all
            Path quiet = tmp.resolve("quiet-v" + p);
            GitCli.Result q = fetchGit(p, tmp, tmp.resolve("trace-quiet-v" + p), "clone", "--quiet", "--bare", url,
                    quiet.toString()).ok();
            assertFalse(q.stderr().contains("remote:"), "v" + p + " quiet: " + q.stderr());

            // incremental: one more commit on the server, fetched into the clone
            Files.writeString(src.resolve("more-" + p + ".txt"), "more\n");
            git.ok(src, "add", ".");
            git.ok(src, "commit", "-q", "-m", "more v" + p);
            git.ok(src, "push", "-q", url, "main");
            Path traceFetch = tmp.resolve("trace-fetch-v" + p);
            fetchGit(p, clone, traceFetch, "fetch", "--progress", "origin").ok();
            assertProtocol(p, traceFetch);
            assertEquals(git.ok(src, "rev-parse", "main"), git.ok(clone, "rev-parse", "main"), "v" + p);
            assertFsckClean(clone, "fetch v" + p);
            git.ok(src, "reset", "-q", "--hard", "HEAD~1");
        }
    }

    @Test
    void shallowCloneThenDeepenThenUnshallow() throws Exception {
        for (String p : PROTOCOLS) {
            String url = pushed("smart-shallow-v" + p);
            Path clone = tmp.resolve("shallow-v" + p);
            Path trace = tmp.resolve("trace-shallow-v" + p);
            fetchGit(p, tmp, trace, "clone", "--depth", "1", url, clone.toString()).ok();
            assertProtocol(p, trace);
            assertEquals("1", git.ok(clone, "rev-list", "--count", "HEAD"), "v" + p);
            assertTrue(Files.exists(clone.resolve(".git/shallow")), "v" + p);
            assertEquals(-1, Files.mismatch(src.resolve("data.bin"), clone.resolve("data.bin")), "v" + p);
            assertFsckClean(clone, "depth 1 v" + p);

            fetchGit(p, clone, tmp.resolve("trace-deepen-v" + p), "fetch", "--deepen", "2").ok();
            assertEquals("3", git.ok(clone, "rev-list", "--count", "HEAD"), "v" + p);
            assertFsckClean(clone, "deepen v" + p);

            fetchGit(p, clone, tmp.resolve("trace-unshallow-v" + p), "fetch", "--unshallow").ok();
            assertFalse(Files.exists(clone.resolve(".git/shallow")), "v" + p);
            assertEquals(git.ok(src, "rev-list", "--count", "main"), git.ok(clone, "rev-list", "--count", "origin/main"),
                    "v" + p);
            assertFsckClean(clone, "unshallow v" + p);
        }
    }

    /** deepen-since and deepen-not (in v0 the round JGit alone would end with an error). */
    @Test
    void shallowSinceAndShallowExclude() throws Exception {
        for (String p : PROTOCOLS) {
            String url = pushed("smart-since-v" + p);
            Path since = tmp.resolve("since-v" + p);
            Path trace = tmp.resolve("trace-since-v" + p);
            fetchGit(p, tmp, trace, "clone", "--single-branch", "--shallow-since=" + SINCE_COMMIT_4, url,
                    since.toString()).ok();
            assertProtocol(p, trace);
            assertEquals("3", git.ok(since, "rev-list", "--count", "HEAD"), "v" + p + ": commits 4, 5, 6");
            assertFsckClean(since, "shallow-since v" + p);

            // feature is main~2: excluding it leaves main~1 and main
            Path exclude = tmp.resolve("exclude-v" + p);
            fetchGit(p, tmp, tmp.resolve("trace-exclude-v" + p), "clone", "--single-branch", "--shallow-exclude=feature",
                    url, exclude.toString()).ok();
            assertEquals("2", git.ok(exclude, "rev-list", "--count", "HEAD"), "v" + p);
            assertFsckClean(exclude, "shallow-exclude v" + p);

            fetchGit(p, since, tmp.resolve("trace-since-unshallow-v" + p), "fetch", "--unshallow").ok();
            assertEquals("6", git.ok(since, "rev-list", "--count", "HEAD"), "v" + p);
            assertFsckClean(since, "since then unshallow v" + p);
        }
    }

    @Test
    void partialClonesFetchMissingObjectsLazily() throws Exception {
        for (String p : PROTOCOLS) {
            String url = pushed("smart-partial-v" + p);
            for (String filter : List.of("blob:none", "tree:0")) {
                String what = "v" + p + " " + filter;
                Path clone = tmp.resolve("partial-v" + p + "-" + filter.replace(':', '-'));
                Path trace = tmp.resolve("trace-partial-v" + p + "-" + filter.replace(':', '-'));
                fetchGit(p, tmp, trace, "clone", "--filter=" + filter, url, clone.toString()).ok();
                assertProtocol(p, trace);
                assertEquals("true", git.ok(clone, "config", "remote.origin.promisor"), what);
                // older versions of src.txt were left out, and are fetched when needed
                String missing = git.ok(clone, "rev-list", "--objects", "--all", "--missing=print");
                assertTrue(missing.lines().anyMatch(l -> l.startsWith("?")), what + ": something was filtered");
                assertEquals(-1, Files.mismatch(src.resolve("data.bin"), clone.resolve("data.bin")), what);

                fetchGit(p, clone, tmp.resolve("trace-lazy-v" + p + filter.replace(':', '-')),
                        "checkout", "-q", "topic/nested").ok(); // lazy fetch of that branch's trees and blobs
                assertEquals("topic work\n", Files.readString(clone.resolve("topic.txt")), what);
                git.ok(clone, "log", "-p", "-q", "main"); // every old blob, fetched on demand
                assertFsckClean(clone, "partial " + what);
            }
        }
    }

    @Test
    void lsRemoteListsHeadRefsAndPeeledTags() throws Exception {
        for (String p : PROTOCOLS) {
            String url = pushed("smart-ls-v" + p);
            Path trace = tmp.resolve("trace-ls-v" + p);
            String listed = fetchGit(p, tmp, trace, "ls-remote", url).ok().stdout().trim();
            assertProtocol(p, trace);
            String expected = git.ok(src, "rev-parse", "HEAD") + "\tHEAD\n"
                    + git.ok(src, "show-ref", "--dereference").replace(' ', '\t');
            assertEquals(expected, listed, "v" + p);
            if (p.equals("2")) {
                assertEquals(git.ok(src, "show-ref", "--heads").replace(' ', '\t'),
                        fetchGit(p, tmp, trace, "ls-remote", "--heads", url).ok().stdout().trim(), "ref-prefix");
            }
            // --symref: HEAD's target (v0: symref capability; v2: ls-refs symrefs)
            assertTrue(fetchGit(p, tmp, trace, "ls-remote", "--symref", url, "HEAD").ok().stdout()
                    .startsWith("ref: refs/heads/main\tHEAD"), "v" + p);
        }
    }
}
