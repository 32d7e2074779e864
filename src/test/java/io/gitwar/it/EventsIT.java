package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.it.sample.ObservedEventsServlet;
import io.gitwar.it.sample.SampleObserver;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * gitwar's public CDI events as a deployment's own observer sees them ({@link SampleObserver},
 * deployed with gitwar): a first push tells {@code RepositoryCreated} then {@code PushReceived}
 * with git's ids, on a background thread, to a plain and an {@code AFTER_SUCCESS} observer alike,
 * while an observer that throws changes nothing for git; a refused push and a push rolled back
 * (every ref update rejected after its pack was received) tell nothing. Events come in order, so
 * once the push after them is seen, nothing of theirs can still come.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EventsIT {

    private static final String ZERO = "0".repeat(40);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar().addClasses(SampleObserver.class, ObservedEventsServlet.class);
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void aPushIsToldAfterItsCommitAndRefusedOrRolledBackOnesAreNot() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        String name = Deployments.repo("events");
        String url = base + name + ".git";
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        String first = work.commitSmall();
        work.push(url); // creates the repository; the failing observer throws, git does not notice

        List<String> seen = awaitSeen(name, first);
        int created = indexOf(seen, "created " + name + " ");
        int pushed = indexOf(seen, "push " + name + " refs/heads/main:" + ZERO + ".." + first + " client=127.0.0.1");
        assertTrue(created >= 0 && pushed > created, "created, then pushed: " + seen);
        String push = seen.get(pushed);
        assertTrue(push.contains(" objects=3 "), push);
        // request threads: WildFly's "default task-N", Payara's "http-thread-pool::http-listener(N)"
        assertFalse(push.contains("thread=default_task") || push.contains("thread=http-thread-pool"),
                "not on a request thread: " + push);
        assertTrue(indexOf(seen, "after-success " + name + " " + first) > pushed, seen.toString());

        // refused before JGit runs: a ref name git itself would never send
        byte[] refused = Pkt.body().line(ZERO + " " + "1".repeat(40) + " refs/heads/a..b\0report-status\n")
                .flush().raw(Pkt.emptyPack()).bytes();
        String refusedReport = post(url, refused);
        assertTrue(refusedReport.contains("ng refs/heads/a..b"), refusedReport);
        // received and rolled back: a pack of a new commit, but main is not where the command says
        byte[] blob = PackBytes.utf8("rolled back\n");
        byte[] tree = PackBytes.tree("100644", "f.txt", PackBytes.id(3, blob));
        byte[] commit = PackBytes.commit(PackBytes.id(2, tree), "never stored");
        String commitId = PackBytes.id(1, commit).name();
        byte[] stale = Pkt.body().line("2".repeat(40) + " " + commitId + " refs/heads/main\0report-status\n").flush()
                .raw(PackBytes.header(3).object(1, commit).object(2, tree).object(3, blob).finish()).bytes();
        String staleReport = post(url, stale);
        assertTrue(staleReport.contains("ng refs/heads/main"), staleReport);

        String second = work.commitSmall();
        work.push(url);
        seen = awaitSeen(name, second);
        List<String> pushes = seen.stream().filter(l -> l.startsWith("push " + name + " ")).toList();
        assertEquals(2, pushes.size(), "nothing for the refused and the rolled-back push: " + seen);
        assertTrue(pushes.get(1).contains("refs/heads/main:" + first + ".." + second), pushes.get(1));
        assertFalse(seen.stream().anyMatch(l -> l.contains(commitId) || l.contains("a..b")), seen.toString());
    }

    private String post(String url, byte[] body) throws Exception {
        var r = Http.post(url + "/git-receive-pack", "application/x-git-receive-pack-request", body);
        assertEquals(200, r.statusCode());
        return new String(r.body(), StandardCharsets.ISO_8859_1);
    }

    /** What the sample observer saw, once it saw the push that moved a ref to {@code id}. */
    private List<String> awaitSeen(String name, String id) throws Exception {
        String[] seen = {""};
        Await.until(Duration.ofSeconds(60), "the observer to see the push of " + id, () -> {
            seen[0] = Http.text(Http.get(base + "-/test/events"));
            return seen[0].contains("after-success " + name + " " + id);
        });
        return List.of(seen[0].split("\n"));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
