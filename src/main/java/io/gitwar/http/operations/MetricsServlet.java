package io.gitwar.http.operations;

import io.gitwar.config.AdminToken;
import io.gitwar.config.GitwarConfig;
import io.gitwar.metrics.GitwarMetrics;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code -/metrics}: every meter in Prometheus' text format. Public by default; with
 * {@code gitwar.metrics.require-token=true} only for {@code Authorization: Bearer <gitwar.admin.token>}
 * ({@code 401} otherwise, and {@code 404} while no token is configured: nothing could open it).
 * Never cached.
 */
@WebServlet("/-/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    @Inject
    transient GitwarConfig config;

    @Inject
    transient GitwarMetrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (config.monitoring().metricsRequireToken()) {
            Optional<AdminToken> token = config.admin().token();
            if (token.isEmpty()) {
                Answers.text(response, HttpServletResponse.SC_NOT_FOUND, "not found");
                return;
            }
            if (!token.get().matches(bearer(request.getHeader("Authorization")))) {
                Answers.text(response, HttpServletResponse.SC_UNAUTHORIZED,
                        "the metrics need the admin token: Authorization: Bearer <token>",
                        "WWW-Authenticate", "Bearer realm=\"gitwar\"");
                return;
            }
        }
        response.setContentType(GitwarMetrics.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        try (OutputStream out = response.getOutputStream()) {
            metrics.scrape(out);
        }
    }

    /** The token of an {@code Authorization: Bearer} header; null for any other. */
    static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : null;
    }
}
