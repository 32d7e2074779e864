package io.gitwar.it;

import static io.gitwar.it.Node.json;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * isomorphic-git (npm, pinned in package.json) in the system {@code node}, against the real server:
 * clones (full, shallow), fetch, pushes of a new branch, an update, a tag, a delete, and the two ways
 * it reads refs. After every push the server's state is checked with the git CLI.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IsomorphicGitNodeIT {

    private static final String SCRIPT = "iso-node.mjs";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void clonesFetchesPushesTagsAndDeletes() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        String url = base + Deployments.repo("iso-node") + ".git";
        git.ok(src, "push", "--mirror", url);
        String main = git.ok(src, "rev-parse", "main");

        // clone: everything, files intact
        Path work = tmp.resolve("work");
        Node.Result clone = node("clone", json("url", url, "dir", work));
        assertEquals(main, clone.get("head"));
        assertEquals("6", clone.get("commits"));
        assertTrue(clone.get("branches").contains("topic/nested"), clone.get("branches"));
        assertEquals(-1, Files.mismatch(src.resolve("data.bin"), work.resolve("data.bin")));

        // shallow: depth 1 of main only; and by date / excluding a ref (deepen-since, deepen-not)
        Node.Result shallow = node("clone", json("url", url, "dir", tmp.resolve("shallow"), "depth", 1, "singleBranch", true));
        assertEquals(main, shallow.get("head"));
        assertEquals("1", shallow.get("commits"));
        assertEquals("main", shallow.get("branches"));
        assertEquals(main, Files.readString(tmp.resolve("shallow/.git/shallow")).trim());
        Node.Result since = node("clone", json("url", url, "dir", tmp.resolve("since"), "singleBranch", true,
                "since", 1_700_000_000L + 4 * 3600L));
        assertEquals("3", since.get("commits"));
        Node.Result exclude = node("clone", json("url", url, "dir", tmp.resolve("exclude"), "singleBranch", true,
                "exclude", "feature"));
        assertEquals("2", exclude.get("commits"));

        // fetch: a commit pushed by git shows up in the clone
        Files.writeString(src.resolve("fetched.txt"), "for isomorphic-git's fetch\n");
        git.ok(src, "add", ".");
        git.ok(src, "commit", "-q", "-m", "to fetch");
        git.ok(src, "push", "-q", url, "main");
        String newMain = git.ok(src, "rev-parse", "main");
        Node.Result fetch = node("fetch", json("url", url, "dir", work));
        assertEquals(newMain, fetch.get("origin/main"));
        assertEquals(newMain, fetch.get("fetchHead"));

        // push a new branch, then an update of it
        Node.Result branch = node("pushNewBranch", json("dir", work, "branch", "iso/feature", "file", "iso.txt"));
        assertEquals("true", branch.get("ok"));
        assertServerHas(git, url, "refs/heads/iso/feature", branch.get("commit"));
        Node.Result update = node("pushUpdate", json("dir", work, "branch", "iso/feature", "file", "iso.txt"));
        assertEquals("true", update.get("ok"));
        assertServerHas(git, url, "refs/heads/iso/feature", update.get("commit"));
        assertEquals("updated by isomorphic-git on iso/feature\n",
                git.ok(tmp, "--git-dir=" + serverCopy(git, url), "show", update.get("commit") + ":iso.txt") + "\n");

        // push an annotated tag
        Node.Result tag = node("pushTag", json("dir", work, "tag", "iso-v1"));
        assertEquals("true", tag.get("ok"));
        assertServerHas(git, url, "refs/tags/iso-v1", tag.get("tag"));

        // delete the branch
        Node.Result delete = node("deleteBranch", json("dir", work, "branch", "iso/feature"));
        assertEquals("true", delete.get("ok"));
        assertFalse(git.ok(tmp, "ls-remote", url).contains("iso/feature"));
        serverCopy(git, url); // still fsck-clean

        // refs as protocol v2's ls-refs and v1's advertisement give them
        List<String> v2 = node("listServerRefs", json("url", url)).all("ref");
        assertTrue(v2.contains(newMain + " HEAD -> refs/heads/main"), v2.toString());
        assertTrue(v2.contains(newMain + " refs/heads/main"), v2.toString());
        String v1Tag = git.ok(src, "rev-parse", "v1.0");
        assertTrue(v2.contains(v1Tag + " refs/tags/v1.0 ^" + git.ok(src, "rev-parse", "v1.0^{}")), v2.toString());
        assertEquals(List.of(newMain + " refs/heads/main"),
                node("listServerRefs", json("url", url, "prefix", "refs/heads/ma")).all("ref"));
        Node.Result info = node("getRemoteInfo", json("url", url));
        assertEquals("refs/heads/main", info.get("HEAD"));
        assertEquals(newMain, info.get("main"));
        List<String> caps = List.of(info.get("capabilities").split(" "));
        for (String cap : List.of("side-band-64k", "multi_ack_detailed", "shallow", "deepen-since", "deepen-not",
                "deepen-relative", "filter", "object-format=sha1")) {
            assertTrue(caps.contains(cap), cap + " in " + caps);
        }
    }

    private Node.Result node(String operation, String json) throws Exception {
        return Node.run(tmp, SCRIPT, operation, json).ok();
    }

    /** The ref is on the server, and a fresh mirror of the server is complete and fsck-clean. */
    private void assertServerHas(GitCli git, String url, String ref, String id) throws Exception {
        assertTrue(git.ok(tmp, "ls-remote", url).lines().anyMatch(l -> l.equals(id + "\t" + ref)),
                ref + " at " + id + " on the server");
        serverCopy(git, url);
    }

    private int copies;

    private Path serverCopy(GitCli git, String url) throws Exception {
        Path copy = tmp.resolve("server-copy-" + (++copies));
        git.ok(tmp, "clone", "-q", "--mirror", url, copy.toString());
        GitCli.Result fsck = git.run(copy, "fsck", "--full", "--strict").ok();
        assertFalse(fsck.stderr().contains("error"), fsck.stderr());
        return copy;
    }
}
