package io.gitwar.it;

import static io.gitwar.it.Node.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * isomorphic-git in Debian's headless Chromium (src/test/js/browser.mjs), on a page served from
 * another origin than gitwar: clone, commit, push through CORS, checked with the git CLI.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IsomorphicGitBrowserIT {

    /** The page's port (pom: it.page-port): its origin differs from gitwar's by the port. */
    static final int PAGE_PORT = Integer.getInteger("it.page-port", 8480);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void clonesCommitsAndPushesFromAnotherOrigin() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        // Payara Micro's adapter reports its URL with the host "localhost"; the browser resolves no
        // name but 127.0.0.1 (browser.mjs keeps it off the network), where gitwar listens
        String url = new URL(base.getProtocol(), "127.0.0.1", base.getPort(), base.getPath())
                + Deployments.repo("browser") + ".git";
        git.ok(src, "push", "-q", "--mirror", url);

        Node.Result page = Node.run(tmp, "browser.mjs", json("url", url, "pagePort", PAGE_PORT,
                "branch", "from-browser", "file", "browser.txt", "content", "written in Chromium\n")).ok();
        assertFalse(page.facts().containsKey("error"), page.stdout());
        assertFalse(url.startsWith(page.get("page-origin")), "cross-origin: " + page.get("page-origin") + " vs " + url);
        assertEquals(git.ok(src, "rev-parse", "main"), page.get("head"));
        assertEquals("true", page.get("ok"));
        String commit = page.get("commit");
        assertEquals(commit + " refs/heads/from-browser", page.get("v2ref"));

        // the server's side, with git
        assertTrue(git.ok(tmp, "ls-remote", url).lines().anyMatch(l -> l.equals(commit + "\trefs/heads/from-browser")));
        Path copy = tmp.resolve("copy");
        git.ok(tmp, "clone", "-q", "--mirror", url, copy.toString());
        git.run(copy, "fsck", "--full", "--strict").ok();
        assertEquals("written in Chromium", git.ok(copy, "show", commit + ":browser.txt"));
        assertEquals(git.ok(src, "rev-parse", "main"), git.ok(copy, "rev-parse", commit + "^"));
    }
}
