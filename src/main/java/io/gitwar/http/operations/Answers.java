package io.gitwar.http.operations;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The plain-text refusals of the operator URLs: a status and a one-line reason, never cached. */
final class Answers {

    private Answers() {
    }

    /** Answers {@code status} with {@code message} and header name/value pairs. */
    static void text(HttpServletResponse response, int status, String message, String... headers) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
