package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.StoreDigest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Incremental pushes and dumb fetches, deletes, non-fast-forwards and atomic pushes, with the real
 * git CLI (and raw requests where only they can reach a server-side rule).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PushRulesIT {

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
    Path src;

    @BeforeEach
    void sample() throws Exception {
        git = new GitCli(tmp.resolve("home"));
        dumb = git.with("GIT_SMART_HTTP", "0");
        src = SampleRepository.create(git, tmp.resolve("src"));
    }

    private String push(String name) throws Exception {
        String url = base + Deployments.repo(name) + ".git";
        git.ok(src, "push", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        return url;
    }

    @Test
    void incrementalThinPushIsFetchedOverTheDumbProtocol() throws Exception {
        String url = push("incremental");
        Path reader = tmp.resolve("reader");
        dumb.ok(tmp, "clone", "-q", url, reader.toString());

        Path writer = tmp.resolve("writer");
        dumb.ok(tmp, "clone", "-q", url, writer.toString());
        Files.writeString(writer.resolve("src.txt"), Files.readString(writer.resolve("src.txt")) + "one more line\n");
        git.ok(writer, "commit", "-qam", "small change");
        GitCli.Result push = git.run(writer, "push", "origin", "main");
        push.ok();
        String pushed = git.ok(writer, "rev-parse", "HEAD");

        dumb.ok(reader, "fetch", "-q", "origin");
        assertEquals(pushed, git.ok(reader, "rev-parse", "origin/main"));
        git.run(reader, "fsck", "--full").ok();
    }

    @Test
    void branchDeleteRemovesTheRef() throws Exception {
        String url = push("delete");
        assertTrue(git.ok(src, "ls-remote", url).contains("refs/heads/feature"));
        git.ok(src, "push", url, ":refs/heads/feature");
        assertFalse(git.ok(src, "ls-remote", url).contains("refs/heads/feature"));
    }

    @Test
    void nonFastForwardNeedsForce() throws Exception {
        String url = push("nonff");
        String before = git.ok(src, "rev-parse", "main");
        git.ok(src, "reset", "-q", "--hard", "HEAD~1");
        Files.writeString(src.resolve("other.txt"), "diverged\n");
        git.ok(src, "add", ".");
        git.ok(src, "commit", "-qm", "diverging");

        GitCli.Result rejected = git.run(src, "push", url, "main");
        assertNotEquals(0, rejected.exitCode());
        assertTrue(rejected.stderr().contains("[rejected]"), rejected.stderr());
        assertTrue(git.ok(src, "ls-remote", url, "refs/heads/main").startsWith(before));

        git.ok(src, "push", "--force", url, "main");
        assertTrue(git.ok(src, "ls-remote", url, "refs/heads/main").startsWith(git.ok(src, "rev-parse", "main")));
    }

    @Test
    void atomicPushWithAStaleRefMovesNoRef() throws Exception {
        String url = push("atomic");
        String main = git.ok(src, "rev-parse", "main");
        String feature = git.ok(src, "rev-parse", "feature");
        String digest = StoreDigest.of(Deployments.repositoryFile(Deployments.repo("atomic")));

        // the git CLI: a lease that no longer holds makes the whole atomic push fail
        git.ok(src, "checkout", "-q", "-b", "next", "main");
        git.ok(src, "commit", "-q", "--allow-empty", "-m", "next");
        GitCli.Result cli = git.run(src, "push", "--atomic", "--force-with-lease=feature:" + main, url,
                "next:refs/heads/main", "main:refs/heads/feature");
        assertNotEquals(0, cli.exitCode());
        assertTrue(git.ok(src, "ls-remote", url, "refs/heads/main").startsWith(main));

        // the server: one command's old id is stale, so neither ref moves
        String zero = "0".repeat(40);
        byte[] body = Pkt.body().line(main + " " + feature + " refs/heads/main\0report-status atomic\n")
                .line(main + " " + main + " refs/heads/feature\n") // stale: feature is not at main
                .line(zero + " " + main + " refs/heads/created\n")
                .flush().raw(Pkt.emptyPack()).bytes();
        HttpResponse<byte[]> r = Http.post(url + "/git-receive-pack", "application/x-git-receive-pack-request", body);
        assertEquals(200, r.statusCode());
        String report = Http.text(r);
        assertTrue(report.contains("ng refs/heads/main"), report);
        assertTrue(report.contains("ng refs/heads/created"), report);
        assertTrue(git.ok(src, "ls-remote", url, "refs/heads/main").startsWith(main));
        assertEquals("", git.ok(src, "ls-remote", url, "refs/heads/created"));
        assertEquals(digest, StoreDigest.of(Deployments.repositoryFile(Deployments.repo("atomic"))));
    }

    @Test
    void receivePackAdvertisesWhatGitNeeds() throws Exception {
        String url = push("advertise");
        HttpResponse<byte[]> r = Http.get(url + "/info/refs?service=git-receive-pack");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-git-receive-pack-advertisement", r.headers().firstValue("Content-Type").orElse(""));
        String text = Http.text(r);
        assertTrue(text.startsWith("001f# service=git-receive-pack\n0000"), text);
        for (String cap : new String[] {"report-status", "report-status-v2", "delete-refs", "ofs-delta",
            "side-band-64k", "quiet", "atomic", "agent=gitwar/", "object-format=sha1"}) {
            assertTrue(text.contains(cap), cap + " in " + text);
        }

        HttpResponse<byte[]> empty = Http.get(base + Deployments.repo("never-pushed") + ".git/info/refs?service=git-receive-pack");
        assertTrue(Http.text(empty).contains("0000000000000000000000000000000000000000 capabilities^{}"));
        assertFalse(Files.exists(Deployments.dataDir().resolve(Deployments.repo("never-pushed") + ".git")));
    }
}
