package io.gitwar.http;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.Map;

/**
 * A response that carries its CORS headers whatever happens to it: set at once, and set again after
 * {@link #reset()} (which {@link ErrorResponses} calls before an error), so that a page can read
 * gitwar's errors too.
 */
final class CorsResponse extends HttpServletResponseWrapper {

    private final Map<String, String> headers;

    CorsResponse(HttpServletResponse response, Map<String, String> headers) {
        super(response);
        this.headers = headers;
        apply();
    }

    @Override
    public void reset() {
        super.reset();
        apply();
    }

    private void apply() {
        headers.forEach(this::setHeader);
    }
}
