package io.gitwar.http;

import io.gitwar.failure.UnsupportedMediaType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Checks and decodes the bodies of smart protocol requests. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The request body, gunzipped if the client compressed it (git does for fetch negotiations over
     * 1 KiB).
     *
     * @throws UnsupportedMediaType for a wrong Content-Type or an encoding other than gzip
     */
    static InputStream open(HttpServletRequest request, String expectedType) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(expectedType)) {
            throw new UnsupportedMediaType("expected Content-Type " + expectedType + ", got " + type);
        }
        String encoding = request.getHeader("Content-Encoding");
        InputStream raw = request.getInputStream();
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
            return new GZIPInputStream(raw, 64 * 1024);
        }
        throw new UnsupportedMediaType("unsupported Content-Encoding " + encoding + " (gzip and identity are)");
    }
}
