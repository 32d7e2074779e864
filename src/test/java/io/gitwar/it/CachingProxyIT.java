package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Dumb clones through a real caching proxy (nginx {@code proxy_cache}): the second clone gets its packs,
 * indexes and loose objects from the cache, and refs are never stale.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CachingProxyIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void secondCloneComesFromTheCacheAndRefsAreFresh() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        GitCli dumb = git.with("GIT_SMART_HTTP", "0");
        String name = Deployments.repo("proxied");
        String direct = base + name + ".git";
        WorkRepository work = WorkRepository.init(git, tmp.resolve("work"));
        work.commitMany(150, 200_000, 3); // a listed pack
        work.push(direct);
        work.commitSmall(); // loose objects
        work.push(direct);

        int port = Integer.getInteger("it.port-offset", 100) + Integer.getInteger("it.nginx-port", 17000);
        // nginx must not outlive the test: its cache directory is in the test's temp directory
        try (NginxCache nginx = NginxCache.start(Deployments.dataDir().getParent().resolve("nginx-" + name.replace('/', '-')),
                port, base.getPort())) {
            String proxied = nginx.base() + base.getPath() + name + ".git";
            dumb.ok(tmp, "clone", "-q", proxied, tmp.resolve("first").toString());
            int firstClone = nginx.accessLog().size();
            dumb.ok(tmp, "clone", "-q", proxied, tmp.resolve("second").toString());
            List<String> second = nginx.accessLog().subList(firstClone, nginx.accessLog().size());

            List<String> files = second.stream()
                    .filter(l -> l.matches("GET \\S+/objects/(pack/pack-\\S+|[0-9a-f]{2}/[0-9a-f]{38}) 200 .*")).toList();
            assertTrue(files.stream().anyMatch(l -> l.contains(".pack ")), "the pack was fetched: " + second);
            assertTrue(files.stream().anyMatch(l -> l.contains(".idx ")), "the index was fetched: " + second);
            assertTrue(files.stream().anyMatch(l -> l.matches(".*/objects/[0-9a-f]{2}/.*")), "loose objects: " + second);
            assertTrue(files.stream().allMatch(l -> l.endsWith(" HIT")), "all from the cache: " + files);
            assertTrue(second.stream().filter(l -> l.contains("/info/refs")).noneMatch(l -> l.endsWith(" HIT")),
                    "refs are never served from the cache: " + second);

            String next = work.commitSmall();
            work.push(direct);
            dumb.ok(tmp.resolve("second"), "pull", "-q", "--ff-only");
            assertEquals(next, git.ok(tmp.resolve("second"), "rev-parse", "HEAD"), "the new push is seen at once");
            git.run(tmp.resolve("second"), "fsck", "--full", "--strict").ok();
        }
    }
}
