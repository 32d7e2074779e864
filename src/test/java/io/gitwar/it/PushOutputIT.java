package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
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
 * What a user sees on the terminal when git pushes to gitwar: git's own lines, and no {@code remote:}
 * line for a small push, as with C git's receive-pack (JGit sends an "Updating references" meter even
 * to a client that asked for {@code quiet}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PushOutputIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void aSmallPushPrintsOnlyGitsOwnLines() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        String url = base + Deployments.repo("push-output") + ".git";
        work.commitSmall();
        GitCli.Result created = git.run(work.dir, "push", url, "main").ok();
        assertEquals(List.of("To " + url, " * [new branch]      main -> main"), lines(created.stderr()));

        work.commitSmall();
        GitCli.Result updated = git.run(work.dir, "push", url, "main").ok();
        List<String> lines = lines(updated.stderr());
        assertEquals(2, lines.size(), updated.stderr());
        assertTrue(lines.get(1).endsWith("main -> main"), updated.stderr());
    }

    @Test
    void noRefUpdateMeterEvenWithProgress() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        String url = base + Deployments.repo("push-progress") + ".git";
        work.commitSmall();
        GitCli.Result r = git.run(work.dir, "push", "--progress", url, "main").ok();
        assertFalse(r.stderr().contains("Updating references"), r.stderr());
        assertFalse(r.stderr().lines().anyMatch(l -> l.startsWith("remote:") && l.contains("references")), r.stderr());
    }

    private static List<String> lines(String stderr) {
        return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
}
