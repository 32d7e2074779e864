package io.gitwar.http.pages;

import io.gitwar.config.GitwarConfig;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code /git/-/static/gitwar.css}, the pages' one stylesheet. Pages link it with its digest in
 * the query ({@link #VERSION}), so it is cached for a year: a new gitwar links a new URL. Absent
 * ({@code 404}) when the pages are switched off.
 */
@WebServlet(Stylesheet.PATH)
public class Stylesheet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Under gitwar's own prefix, which no repository name can take. */
    static final String PATH = "/-/static/gitwar.css";
    private static final byte[] CSS = load();
    /** The first 12 hex digits of the stylesheet's SHA-1. */
    static final String VERSION = digest(CSS);

    @Inject
    transient GitwarConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!config.webPages()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String etag = "\"" + VERSION + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType("text/css; charset=utf-8");
        response.setContentLength(CSS.length);
        response.getOutputStream().write(CSS);
    }

    private static byte[] load() {
        try (InputStream in = Stylesheet.class.getResourceAsStream("gitwar.css")) {
            if (in == null) {
                throw new IllegalStateException("gitwar.css is missing from the WAR");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
