package io.gitwar.it;

import static io.gitwar.it.Node.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.http.pages.InertHtml;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The pages for people, on a pushed repository holding hostile names and texts: Debian's headless
 * Chromium sees branches, tags, commits and files as text, and no script runs (no dialog opens,
 * the DOM has no script element and no event handler); screenshots are saved under target/. Git
 * clients and requests without {@code text/html} get exactly today's answers; with
 * {@code gitwar.web-pages=false} browsers do too.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PagesIT {

    static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final String EVIL_FILE = "<img src=x onerror=alert(1)>.txt";
    static final String EVIL_SUBJECT = "<script>alert('commit')</script> subject";
    /** git check-ref-format allows quotes, & and angle brackets (checked with git 2.39). */
    static final String EVIL_BRANCH = "evil\"&<b>";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    GitCli git;
    Path src;
    String root;
    String name;
    String url;
    byte[] binary;

    @BeforeEach
    void pushed(org.junit.jupiter.api.TestInfo test) throws Exception {
        git = new GitCli(tmp.resolve("home"));
        // the browser resolves no name but 127.0.0.1 (pages.mjs keeps it off the network)
        root = new URL(base.getProtocol(), "127.0.0.1", base.getPort(), base.getPath()).toString();
        // a repository per test: each test pushes its own commits (other ids), which a shared one would reject
        name = Deployments.repo("pages-" + test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT));
        url = root + name + ".git";
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("src"));
        git.ok(src, "init", "-q", "-b", "main");
        Files.writeString(src.resolve("README.md"), "# Pages test\n\nSome *emphasis*.\n\n<script>alert('readme')</script>\n\n"
                + "[click me](javascript:alert('link'))\n");
        Files.writeString(src.resolve("src/Main.java"), "class Main { /* a < b && c > d */ }\n");
        binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i; // NULs among the first 8000 bytes: binary, as git says
        }
        Files.write(src.resolve("data.bin"), binary);
        git.ok(src, "add", ".");
        git.ok(src, "commit", "-q", "-m", "first commit");
        git.ok(src, "tag", "-a", "v1.0", "-m", "release <b>1.0</b>");
        Files.writeString(src.resolve(EVIL_FILE), "<script>alert('content')</script>\n");
        git.ok(src, "add", ".");
        git.ok(src, "commit", "-q", "-m", EVIL_SUBJECT);
        git.ok(src, "branch", "feature", "HEAD~1");
        git.ok(src, "branch", EVIL_BRANCH);
        git.ok(src, "push", "-q", url, "--all");
        git.ok(src, "push", "-q", url, "--tags");
    }

    @Test
    void chromiumSeesTheRepositoryAsTextAndRunsNoScript() throws Exception {
        Path shots = Path.of("target").toAbsolutePath();
        Node.Result r = Node.run(tmp, "pages.mjs", json(
                "repositoryUrl", url, "repositoryShot", shots.resolve("pages-repository.png").toString(),
                "repositoryPhoneShot", shots.resolve("pages-repository-phone.png").toString(),
                "listingUrl", root, "listingShot", shots.resolve("pages-listing.png").toString(),
                // other ITs' repositories may fill the listing's first page: find this one by name
                "searchUrl", root + "?q=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                "fileUrl", url + "/~/blob/main/" + pathSegment(EVIL_FILE),
                "fileShot", shots.resolve("pages-file.png").toString(),
                "treeUrl", url + "/~/tree/main/src",
                "branchUrl", url + "/~/tree/" + pathSegment(EVIL_BRANCH),
                "binaryUrl", url + "/~/blob/main/data.bin")).ok();
        assertTrue(Integer.parseInt(r.get("control-dialogs")) >= 1, "the dialog count works: " + r.stdout());
        for (String page : List.of("repository", "repository-phone", "listing", "search", "file", "tree", "branch", "binary")) {
            assertEquals("200", r.get(page + "-status"), page + ": " + r.stdout());
            assertEquals("0", r.get(page + "-dialogs"), page + " opened a dialog: a script ran");
            assertEquals("0", r.get(page + "-scripts"), page);
            assertEquals("0", r.get(page + "-handlers"), page);
            assertEquals("0", r.get(page + "-errors"), page);
        }
        String repository = r.get("repository-text");
        for (String shown : List.of(name, "main", "feature", EVIL_BRANCH, "v1.0", EVIL_SUBJECT, "first commit",
                EVIL_FILE, "README.md", "data.bin", "src/", "Pages test", "<script>alert('readme')</script>",
                "click me", "git clone " + url)) {
            assertTrue(repository.contains(shown), "the repository page shows " + shown + ": " + repository);
        }
        assertTrue(r.get("listing-text").contains("Repositories"), r.get("listing-text"));
        assertTrue(r.get("search-text").contains(name), r.get("search-text"));
        assertTrue(r.get("file-text").contains("<script>alert('content')</script>"), r.get("file-text"));
        assertTrue(r.get("tree-text").contains("Main.java"), r.get("tree-text"));
        assertTrue(r.get("branch-text").contains(EVIL_BRANCH), r.get("branch-text"));
        assertTrue(r.get("binary-text").contains("binary file"), r.get("binary-text"));
        assertTrue(Files.size(shots.resolve("pages-repository.png")) > 10_000);
        assertTrue(Files.size(shots.resolve("pages-listing.png")) > 5_000);
    }

    @Test
    void pagesCarryStrictHeadersAndRevalidate() throws Exception {
        HttpResponse<byte[]> page = Http.get(url, "Accept", HTML);
        assertEquals(200, page.statusCode());
        assertEquals("text/html;charset=utf-8", page.headers().firstValue("Content-Type").orElse("").toLowerCase().replace(" ", ""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && !csp.contains("script-src"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(page.headers().firstValue("Referrer-Policy").isPresent());
        assertTrue(page.headers().firstValue("Cache-Control").orElse("").contains("no-cache"));
        assertEquals(List.of(), InertHtml.activeParts(Http.text(page)));
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, Http.get(url, "Accept", HTML, "If-None-Match", etag).statusCode());
        assertEquals(200, Http.get(url + "/", "Accept", HTML).statusCode(), "a trailing slash is the same page");
        assertEquals(200, Http.get(root + name, "Accept", HTML).statusCode(), "so is the name without .git");

        // a push changes the refs, so the page
        Files.writeString(src.resolve("later.txt"), "later\n");
        git.ok(src, "add", ".");
        git.ok(src, "commit", "-q", "-m", "later");
        git.ok(src, "push", "-q", url, "main");
        assertEquals(200, Http.get(url, "Accept", HTML, "If-None-Match", etag).statusCode());

        HttpResponse<byte[]> raw = Http.get(url + "/~/raw/main/data.bin", "Accept", HTML);
        assertEquals(200, raw.statusCode());
        assertArrayEquals(binary, raw.body());
        assertEquals("application/octet-stream", raw.headers().firstValue("Content-Type").orElse(""));
        assertTrue(raw.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
        assertEquals("nosniff", raw.headers().firstValue("X-Content-Type-Options").orElse(""));

        HttpResponse<byte[]> css = Http.get(root + "-/static/gitwar.css", "Accept", "text/css,*/*;q=0.1");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));

        HttpResponse<byte[]> missing = Http.get(root + "it/no-such-repository.git", "Accept", HTML);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(404, Http.get(url + "/~/blob/main/no-such-file", "Accept", HTML).statusCode());
        assertEquals(404, Http.get(url + "/~/tree/no-such-branch", "Accept", HTML).statusCode());

        HttpResponse<byte[]> search = Http.get(root + "?q=" + URLEncoder.encode(name.substring(3), StandardCharsets.UTF_8),
                "Accept", HTML);
        assertTrue(Http.text(search).contains(name), Http.text(search));
        assertFalse(Http.text(Http.get(root + "?q=zzz-no-such-name", "Accept", HTML)).contains(name));
    }

    @Test
    void gitClientsAndRequestsWithoutHtmlGetTodaysAnswers() throws Exception {
        Path copy = tmp.resolve("copy");
        git.ok(tmp, "clone", "-q", url, copy.toString());
        git.ok(copy, "fetch", "-q", "origin");
        assertEquals(git.ok(src, "rev-parse", "main"), git.ok(copy, "rev-parse", "origin/main"));
        Files.writeString(copy.resolve("pushed.txt"), "pushed\n");
        git.ok(copy, "add", ".");
        git.ok(copy, "commit", "-q", "-m", "pushed back");
        git.ok(copy, "push", "-q", "origin", "main");
        git.with("GIT_SMART_HTTP", "0").ok(tmp, "clone", "-q", url, tmp.resolve("dumb").toString());

        for (String[] accept : List.of(new String[0], new String[] {"Accept", "*/*"}, new String[] {"Accept", "text/plain"},
                new String[] {"Accept", "text/html;q=0"})) {
            for (String path : List.of(url, root + name, root, root + "-/", url + "/~/tree/main")) {
                HttpResponse<byte[]> r = Http.get(path, accept);
                assertFalse(isPage(r), path + " " + List.of(accept) + " got a page");
                assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + ": " + r.statusCode());
            }
        }
        // gitwar's own URLs under /-/ stay theirs for a browser
        HttpResponse<byte[]> health = Http.get(root + "-/health/live", "Accept", HTML);
        assertEquals(200, health.statusCode());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        // Git's own URLs stay Git's, even for a browser
        HttpResponse<byte[]> refs = Http.get(url + "/info/refs", "Accept", HTML);
        assertEquals(200, refs.statusCode());
        assertTrue(refs.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(Http.text(refs).contains("refs/heads/main"));
        assertEquals(200, Http.get(url + "/HEAD", "Accept", HTML).statusCode());
        assertTrue(Http.text(Http.get(url + "/HEAD", "Accept", HTML)).startsWith("ref: refs/heads/main"));
    }

    @Test
    void switchedOffBrowsersGetTodaysAnswers() throws Exception {
        try (BootableServer server = BootableServer.start(tmp.resolve("off"), "-Dgitwar.web-pages=false")) {
            String off = server.url() + "off.git";
            git.ok(src, "push", "-q", off, "main");
            for (String path : List.of(off, server.url(), server.url() + "-/", off + "/~/tree/main",
                    server.url() + "-/static/gitwar.css")) {
                HttpResponse<byte[]> r = Http.get(path, "Accept", HTML);
                assertFalse(isPage(r), path + " got a page");
                assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + ": " + r.statusCode());
            }
            git.ok(tmp, "clone", "-q", off, tmp.resolve("off-copy").toString());
        }
    }

    /**
     * Whether gitwar answered with one of its pages (its header bar). Not just "text/html": without
     * pages, URLs under /git/-/ that no servlet takes get the server's own HTML error page, as before.
     */
    private static boolean isPage(HttpResponse<byte[]> r) {
        return Http.text(r).contains("<header class=\"bar\">");
    }

    /** A path segment as a browser sends it (percent-encoded UTF-8; URLEncoder is for forms, so '+' is fixed). */
    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
