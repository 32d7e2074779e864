package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
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
 * A whole repository pushed with git and cloned back over the dumb protocol, by the real git CLI
 * against the real server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PushAndDumbCloneIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void mirrorPushThenDumbCloneGivesIdenticalRefsHeadAndCleanFsck() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        String name = Deployments.repo("mirror");
        String url = base + name + ".git";

        GitCli.Result push = git.run(src, "push", "--mirror", url);
        push.ok();
        assertTrue(push.stderr().contains("[new branch]"), push.stderr());
        assertTrue(Files.exists(Deployments.repositoryFile(name)));

        String expectedRefs = git.ok(src, "for-each-ref", "--format=%(objectname) %(refname)");
        for (String variant : new String[] {"forced-dumb", "default-url-without-suffix"}) {
            Path clone = tmp.resolve(variant);
            GitCli client = variant.equals("forced-dumb") ? git.with("GIT_SMART_HTTP", "0") : git;
            String cloneUrl = variant.equals("forced-dumb") ? url : url.substring(0, url.length() - ".git".length());
            client.ok(tmp, "clone", "--mirror", cloneUrl, clone.toString());
            assertEquals(expectedRefs, git.ok(clone, "for-each-ref", "--format=%(objectname) %(refname)"), variant);
            assertEquals("refs/heads/main", git.ok(clone, "symbolic-ref", "HEAD"), variant);
            GitCli.Result fsck = git.run(clone, "fsck", "--full", "--strict");
            fsck.ok();
            assertFalse(fsck.stderr().contains("error"), fsck.stderr());
        }

        // a working clone checks out main with the binary intact
        Path work = tmp.resolve("work");
        git.with("GIT_SMART_HTTP", "0").ok(tmp, "clone", url, work.toString());
        assertEquals(-1, Files.mismatch(src.resolve("data.bin"), work.resolve("data.bin")));
    }
}
