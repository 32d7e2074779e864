package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
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
 * The smart upload-pack endpoints and CORS at the HTTP level: headers, bodies, encodings, errors.
 * (The real clients are in SmartFetchIT and the isomorphic-git ITs.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SmartHttpIT {

    private static final String ORIGIN = "http://page.example:8000";
    private static final String RESULT = "application/x-git-upload-pack-result";
    private static final String REQUEST = "application/x-git-upload-pack-request";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    private String url;
    private String main;

    @BeforeEach
    void repository() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        url = base + Deployments.repo("smart-http") + ".git";
        git.ok(src, "push", "-q", "--mirror", url);
        main = git.ok(src, "rev-parse", "main");
    }

    @Test
    void v0AdvertisementIsSmartUncachedWithHeadFirst() throws Exception {
        HttpResponse<byte[]> r = Http.get(url + "/info/refs?service=git-upload-pack");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-git-upload-pack-advertisement", r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-cache"));
        String body = Http.text(r);
        assertTrue(body.startsWith("001e# service=git-upload-pack\n0000"), body);
        String first = body.substring(34).split("\n")[0];
        assertTrue(first.substring(4).startsWith(main + " HEAD\0"), first);
        List<String> caps = List.of(first.substring(first.indexOf('\0') + 1).split(" "));
        for (String cap : List.of("multi_ack_detailed", "no-done", "side-band-64k", "ofs-delta", "thin-pack",
                "include-tag", "no-progress", "shallow", "deepen-since", "deepen-not", "filter",
                "allow-tip-sha1-in-want", "allow-reachable-sha1-in-want", "symref=HEAD:refs/heads/main",
                "object-format=sha1")) {
            assertTrue(caps.contains(cap), cap + " in " + caps);
        }
        assertTrue(caps.stream().anyMatch(c -> c.startsWith("agent=gitwar/")), caps.toString());
    }

    @Test
    void v2AdvertisementWhenAskedFor() throws Exception {
        String body = Http.text(Http.get(url + "/info/refs?service=git-upload-pack", "Git-Protocol", "version=2"));
        for (String line : List.of("version 2", "ls-refs", "object-format=sha1", "agent=gitwar/")) {
            assertTrue(body.contains(line), line + " in " + body);
        }
        assertTrue(body.matches("(?s).*fetch=[^\n0]*shallow.*"), body);
        assertTrue(body.contains("filter"), body);
    }

    @Test
    void gzipBodiesAreDecodedOtherEncodingsRefused() throws Exception {
        byte[] request = Pkt.body().line("want " + main + " multi_ack_detailed side-band-64k ofs-delta no-progress\n")
                .flush().line("done\n").bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(request);
        }
        HttpResponse<byte[]> r = Http.post(url + "/git-upload-pack", REQUEST, gz.toByteArray(), "Content-Encoding", "gzip");
        assertEquals(200, r.statusCode());
        assertEquals(RESULT, r.headers().firstValue("Content-Type").orElse(null));
        String answer = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertTrue(answer.startsWith("0008NAK\n") && answer.contains("PACK"), answer.substring(0, 40));

        HttpResponse<byte[]> br = Http.post(url + "/git-upload-pack", REQUEST, request, "Content-Encoding", "br");
        assertEquals(415, br.statusCode());
        assertTrue(Http.text(br).contains("Content-Encoding br"), Http.text(br));
        assertEquals(415, Http.post(url + "/git-upload-pack", "text/plain", request).statusCode());
    }

    @Test
    void inProtocolErrorsAreInBand() throws Exception {
        byte[] request = Pkt.body().line("want " + "1".repeat(40) + " side-band-64k\n").flush().line("done\n").bytes();
        HttpResponse<byte[]> r = Http.post(url + "/git-upload-pack", REQUEST, request);
        assertEquals(200, r.statusCode());
        assertTrue(Http.text(r).contains("ERR want " + "1".repeat(40) + " not valid"), Http.text(r));
    }

    @Test
    void missingRepositoriesAreNotFound() throws Exception {
        String missing = base + Deployments.repo("never-pushed") + ".git";
        assertEquals(404, Http.get(missing + "/info/refs?service=git-upload-pack").statusCode());
        assertEquals(404, Http.post(missing + "/git-upload-pack", REQUEST, Pkt.body().flush().bytes()).statusCode());
    }

    @Test
    void preflightsOnEveryGitRoute() throws Exception {
        for (String resource : List.of("info/refs?service=git-upload-pack", "info/refs?service=git-receive-pack",
                "git-upload-pack", "git-receive-pack", "info/refs", "HEAD", "objects/info/packs")) {
            HttpResponse<byte[]> r = Http.method("OPTIONS", url + "/" + resource, "Origin", ORIGIN,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, git-protocol");
            assertEquals(204, r.statusCode(), resource);
            assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), resource);
            assertEquals("GET, POST, OPTIONS", r.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
            assertEquals("content-type, authorization, git-protocol, range, if-none-match, if-modified-since",
                    r.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
            assertEquals("7200", r.headers().firstValue("Access-Control-Max-Age").orElse(null));
        }
    }

    @Test
    void responsesAndErrorsCarryCorsHeaders() throws Exception {
        byte[] request = Pkt.body().line("want " + main + " side-band-64k ofs-delta no-progress\n").flush()
                .line("done\n").bytes();
        List<HttpResponse<byte[]>> responses = List.of(
                Http.get(url + "/info/refs?service=git-upload-pack", "Origin", ORIGIN),
                Http.post(url + "/git-upload-pack", REQUEST, request, "Origin", ORIGIN),
                Http.get(url + "/info/refs", "Origin", ORIGIN),
                Http.post(url + "/git-upload-pack", "text/plain", request, "Origin", ORIGIN), // 415
                Http.get(url + "/git-upload-pack", "Origin", ORIGIN), // 405
                Http.get(base + "missing.git/info/refs?service=git-upload-pack", "Origin", ORIGIN), // 404
                Http.get(base + ".bad.git/info/refs", "Origin", ORIGIN)); // 400
        List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
        assertEquals(List.of(200, 200, 200, 415, 405, 404, 400), statuses);
        for (HttpResponse<byte[]> r : responses) {
            assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), r.toString());
            assertEquals("content-type, content-length, etag, accept-ranges, content-range",
                    r.headers().firstValue("Access-Control-Expose-Headers").orElse(null), r.toString());
        }
    }
}
