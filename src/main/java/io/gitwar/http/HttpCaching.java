package io.gitwar.http;

import io.gitwar.http.rules.ByteRange;
import io.gitwar.http.rules.EntityTag;
import io.gitwar.http.rules.HttpDates;
import io.gitwar.http.rules.Preconditions;
import io.gitwar.service.StoredResource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How gitwar's two kinds of resources are served to browsers, proxies and CDNs.
 *
 * <ul>
 * <li><b>Immutable</b> (loose objects, packs, indexes): content-addressed, so their bytes never change.
 * Cached for a year ({@code immutable}), a strong ETag (object id or pack checksum), Last-Modified,
 * byte ranges (git resumes interrupted pack downloads with {@code Range: bytes=N-}).</li>
 * <li><b>Mutable</b> (HEAD, info/refs, objects/info/packs, advertisements): {@code no-cache}, so every
 * use is revalidated, with an ETag of the content so that a revalidation costs a 304.</li>
 * </ul>
 * The decisions are {@link Preconditions}' pure functions; this class only applies them.
 */
final class HttpCaching {

    /** One year, the most RFC 9111 caches are asked to keep anything. */
    static final String FOREVER = "public, max-age=31536000, immutable";

    private HttpCaching() {
    }

    /** C git's http-backend {@code hdr_nocache}: revalidate on every use, also for HTTP/1.0 caches. */
    static void noCache(HttpServletResponse r) {
        r.setHeader("Cache-Control", "no-cache, max-age=0, must-revalidate");
        r.setHeader("Pragma", "no-cache");
        r.setHeader("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
    }

    /** Sends generated, mutable content: no-cache, its ETag, 304 when the client has it already. */
    static void sendMutable(HttpServletRequest request, HttpServletResponse r, String contentType, byte[] body)
            throws IOException {
        EntityTag etag = EntityTag.strong(sha1(body));
        Preconditions.Outcome outcome = Preconditions.evaluate(conditions(request),
                new Preconditions.Validators(etag, null, -1));
        noCache(r);
        r.setHeader("ETag", etag.header());
        if (answeredWithoutBody(outcome, r)) {
            return;
        }
        r.setContentType(contentType);
        r.setContentLength(body.length);
        r.getOutputStream().write(body);
    }

    /**
     * Sends an immutable file: cached forever, validated by its strong ETag and Last-Modified, whole
     * (200), one range (206), unsatisfiable (416) or not modified (304). A range is streamed from the
     * chunks that hold it; nothing is read for HEAD, 304 or 416. 304 and 412 are decided from the
     * validators alone, before the length is asked for (a loose object is encoded to know it).
     */
    static void sendImmutable(HttpServletRequest request, HttpServletResponse r, String contentType,
            StoredResource res) throws IOException {
        EntityTag etag = EntityTag.strong(res.validator());
        Preconditions.Request conditions = conditions(request);
        Preconditions.Outcome outcome = Preconditions.evaluate(conditions,
                new Preconditions.Validators(etag, res.lastModified(), -1));
        r.setHeader("Cache-Control", FOREVER);
        r.setHeader("ETag", etag.header());
        r.setHeader("Last-Modified", HttpDates.format(res.lastModified()));
        r.setHeader("Accept-Ranges", "bytes");
        if (answeredWithoutBody(outcome, r)) {
            return;
        }
        long length = res.length();
        outcome = Preconditions.evaluate(conditions, new Preconditions.Validators(etag, res.lastModified(), length));
        if (outcome instanceof Preconditions.RangeNotSatisfiable) {
            r.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            r.setHeader("Content-Range", ByteRange.Unsatisfiable.contentRange(length));
            r.setContentLength(0);
            return;
        }
        long offset = 0;
        long count = length;
        if (outcome instanceof Preconditions.Partial p) {
            r.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            r.setHeader("Content-Range", p.range().contentRange(length));
            offset = p.range().first();
            count = p.range().length();
        }
        r.setContentType(contentType);
        r.setContentLengthLong(count);
        if ("HEAD".equals(request.getMethod())) {
            return;
        }
        OutputStream out = r.getOutputStream();
        try (InputStream in = res.open(offset, count)) {
            in.transferTo(out);
        }
    }

    /**
     * For content that is generated from data whose version {@code tag} names (a page from the refs):
     * sets no-cache and the strong ETag, and answers 304 (or 412) when the preconditions say the
     * client has it; true if it did, and then nothing else is to be read or sent.
     */
    static boolean revalidated(HttpServletRequest request, HttpServletResponse r, String tag) {
        EntityTag etag = EntityTag.strong(tag);
        Preconditions.Outcome outcome = Preconditions.evaluate(conditions(request),
                new Preconditions.Validators(etag, null, -1));
        noCache(r);
        r.setHeader("ETag", etag.header());
        return answeredWithoutBody(outcome, r);
    }

    /** Answers 304 or 412 when the preconditions say so; true if it did. */
    private static boolean answeredWithoutBody(Preconditions.Outcome outcome, HttpServletResponse r) {
        if (outcome instanceof Preconditions.NotModified) {
            r.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return true;
        }
        if (outcome instanceof Preconditions.PreconditionFailed) {
            ErrorResponses.send(r, HttpServletResponse.SC_PRECONDITION_FAILED, "precondition failed");
            return true;
        }
        return false;
    }

    static Preconditions.Request conditions(HttpServletRequest q) {
        return new Preconditions.Request(q.getMethod(), q.getHeader("If-Match"), q.getHeader("If-Unmodified-Since"),
                q.getHeader("If-None-Match"), q.getHeader("If-Modified-Since"), q.getHeader("Range"),
                q.getHeader("If-Range"));
    }

    /** The ETag of generated content: its SHA-1, so equal bytes always have equal tags. */
    static String sha1(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
