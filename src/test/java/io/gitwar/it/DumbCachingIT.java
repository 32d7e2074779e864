package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP caching of the dumb protocol against the running server: immutable packs, indexes and loose
 * objects (ETag, Last-Modified, 304, Range 206/416, HEAD) and revalidated listings (content ETag, 304).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DumbCachingIT {

    private static final String FOREVER = "public, max-age=31536000, immutable";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    WorkRepository work;
    String url;
    String bigCommit;
    String smallCommit;
    Instant pushedAfter;

    @BeforeEach
    void twoPushes(TestInfo test) throws Exception {
        work = WorkRepository.init(new GitCli(tmp.resolve("home")), tmp.resolve("work"));
        url = base + Deployments.repo("caching-" + test.getTestMethod().orElseThrow().getName()) + ".git";
        pushedAfter = Instant.now().minusSeconds(1);
        bigCommit = work.commitMany(120, 300_000, 1); // a listed pack
        work.push(url);
        smallCommit = work.commitSmall(); // loose-served
        work.push(url);
    }

    @Test
    void packsAndIndexesAreImmutableConditionalAndRanged() throws Exception {
        String list = Http.text(Http.get(url + "/objects/info/packs"));
        String[] lines = list.split("\n");
        assertEquals(1, lines.length, "only the big push's pack is listed:\n" + list);
        String pack = lines[0].substring("P ".length(), lines[0].length() - ".pack".length());
        String checksum = pack.substring("pack-".length());

        byte[] packBytes = immutable(url + "/objects/pack/" + pack + ".pack", checksum);
        // the name is the pack's own trailing SHA-1 (git's naming): it can only ever mean these bytes
        byte[] trailer = Arrays.copyOfRange(packBytes, packBytes.length - 20, packBytes.length);
        assertEquals(checksum, HexFormat.of().formatHex(trailer));
        assertArrayEquals(trailer, MessageDigest.getInstance("SHA-1").digest(Arrays.copyOf(packBytes, packBytes.length - 20)));
        immutable(url + "/objects/pack/" + pack + ".idx", checksum);
    }

    @Test
    void objectsOfSmallPushesAreLooseExactlyAsGitWritesThem() throws Exception {
        String path = "/objects/" + smallCommit.substring(0, 2) + "/" + smallCommit.substring(2);
        byte[] served = immutable(url + path, smallCommit);
        assertArrayEquals(work.looseFile(smallCommit), served, "git's own loose encoding");

        // objects of the big push are only in its pack
        HttpResponse<byte[]> r = Http.get(url + "/objects/" + bigCommit.substring(0, 2) + "/" + bigCommit.substring(2));
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-cache"), "a 404 is never cached");
    }

    @Test
    void listingsAreRevalidatedByTheirContentTag() throws Exception {
        for (String path : new String[] {"/info/refs", "/HEAD", "/objects/info/packs", "/info/refs?service=git-receive-pack"}) {
            HttpResponse<byte[]> r = Http.get(url + path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Cache-Control").orElseThrow().contains("no-cache"), path);
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertTrue(etag.matches("\"[0-9a-f]{40}\""), etag);
            HttpResponse<byte[]> again = Http.get(url + path, "If-None-Match", etag);
            assertEquals(304, again.statusCode(), path);
            assertEquals(0, again.body().length);
            assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
            HttpResponse<byte[]> head = Http.head(url + path);
            assertEquals(200, head.statusCode());
            assertEquals(r.body().length, head.headers().firstValueAsLong("Content-Length").orElseThrow(), path);
        }
        String before = Http.get(url + "/info/refs").headers().firstValue("ETag").orElseThrow();
        work.commitSmall();
        work.push(url);
        HttpResponse<byte[]> after = Http.get(url + "/info/refs", "If-None-Match", before);
        assertEquals(200, after.statusCode(), "a push changes info/refs at once");
        assertNotEquals(before, after.headers().firstValue("ETag").orElseThrow());
    }

    /** Checks everything an immutable resource promises; returns its bytes. */
    private byte[] immutable(String resource, String validator) throws Exception {
        HttpResponse<byte[]> full = Http.get(resource);
        assertEquals(200, full.statusCode(), resource);
        byte[] bytes = full.body();
        int n = bytes.length;
        assertTrue(n > 110, resource + " has " + n + " bytes");
        String etag = "\"" + validator + "\"";
        assertEquals(etag, header(full, "ETag"));
        assertEquals(FOREVER, header(full, "Cache-Control"));
        assertEquals("bytes", header(full, "Accept-Ranges"));
        assertEquals(Long.toString(n), header(full, "Content-Length"));
        String lastModified = header(full, "Last-Modified");
        Instant modified = ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(!modified.isBefore(pushedAfter.minusSeconds(1)) && !modified.isAfter(Instant.now()),
                "Last-Modified " + lastModified + " is when it was pushed");

        HttpResponse<byte[]> head = Http.head(resource);
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(n), header(head, "Content-Length"));
        assertEquals(etag, header(head, "ETag"));
        assertEquals(0, head.body().length);

        int last = Math.min(199, n - 1);
        HttpResponse<byte[]> part = Http.get(resource, "Range", "bytes=100-" + last);
        assertEquals(206, part.statusCode());
        assertEquals("bytes 100-" + last + "/" + n, header(part, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, last + 1), part.body());

        HttpResponse<byte[]> tail = Http.get(resource, "Range", "bytes=" + (n - 50) + "-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, n - 50, n), tail.body());
        HttpResponse<byte[]> suffix = Http.get(resource, "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(bytes, n - 10, n), suffix.body());

        HttpResponse<byte[]> beyond = Http.get(resource, "Range", "bytes=" + n + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + n, header(beyond, "Content-Range"));

        HttpResponse<byte[]> same = Http.get(resource, "If-None-Match", etag);
        assertEquals(304, same.statusCode());
        assertEquals(0, same.body().length);
        assertEquals(etag, header(same, "ETag"));
        assertEquals(304, Http.get(resource, "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, Http.get(resource, "If-None-Match", "\"something-else\"").statusCode());

        assertEquals(206, Http.get(resource, "Range", "bytes=0-9", "If-Range", etag).statusCode());
        HttpResponse<byte[]> changed = Http.get(resource, "Range", "bytes=0-9", "If-Range", "\"older\"");
        assertEquals(200, changed.statusCode(), "If-Range that does not match: the whole file");
        assertEquals(n, changed.body().length);
        return bytes;
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " in " + r.headers()));
    }
}
