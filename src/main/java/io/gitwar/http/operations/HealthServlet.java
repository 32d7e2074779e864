package io.gitwar.http.operations;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The answer of the server's MicroProfile Health endpoint, on the HTTP port: {@code -/health/live},
 * {@code -/health/ready} and {@code -/health} (both), from the same check beans, in the same JSON
 * ({@code {"status":"UP","checks":[{"name":...,"status":...,"data":{...}}]}}), {@code 200} when
 * every check is up and {@code 503} otherwise, as the MicroProfile Health specification says. A
 * check that throws is down, with the exception's class in its data (never its message: the
 * answer is public). Never cached.
 */
@WebServlet(urlPatterns = {"/-/health", "/-/health/*"})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(HealthServlet.class.getName());

    @Inject
    @Liveness
    transient Instance<HealthCheck> liveness;

    @Inject
    @Readiness
    transient Instance<HealthCheck> readiness;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String which = Optional.ofNullable(request.getPathInfo()).orElse("/");
        List<HealthCheck> checks = new ArrayList<>();
        switch (which) {
            case "/live" -> liveness.forEach(checks::add);
            case "/ready" -> readiness.forEach(checks::add);
            case "/" -> {
                liveness.forEach(checks::add);
                readiness.forEach(checks::add);
            }
            default -> {
                Answers.text(response, HttpServletResponse.SC_NOT_FOUND, "not found");
                return;
            }
        }
        JsonObject answer = evaluate(checks);
        byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus("UP".equals(answer.getString("status")) ? HttpServletResponse.SC_OK
                : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }

    /** The checks' answers and the overall status: up only if every check is. */
    static JsonObject evaluate(List<HealthCheck> checks) {
        boolean up = true;
        JsonArrayBuilder answers = Json.createArrayBuilder();
        for (HealthCheck check : checks) {
            HealthCheckResponse r = call(check);
            up &= r.getStatus() == HealthCheckResponse.Status.UP;
            JsonObjectBuilder a = Json.createObjectBuilder().add("name", r.getName()).add("status", r.getStatus().name());
            r.getData().ifPresent(data -> a.add("data", data(data)));
            answers.add(a);
        }
        return Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", answers).build();
    }

    private static HealthCheckResponse call(HealthCheck check) {
        try {
            return check.call();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "health check " + check.getClass().getName() + " failed", e);
            return HealthCheckResponse.named(check.getClass().getName()).down()
                    .withData("failure", e.getClass().getName()).build();
        }
    }

    /** The check's data: strings, numbers and booleans, as the specification allows. */
    private static JsonObjectBuilder data(Map<String, Object> data) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        data.forEach((k, v) -> {
            if (v instanceof Boolean bool) {
                b.add(k, bool);
            } else if (v instanceof Long || v instanceof Integer) {
                b.add(k, ((Number) v).longValue());
            } else if (v instanceof Number n) {
                b.add(k, n.doubleValue());
            } else {
                b.add(k, String.valueOf(v));
            }
        });
        return b;
    }
}
