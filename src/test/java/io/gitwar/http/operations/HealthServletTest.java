package io.gitwar.http.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.JsonObject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The health answer's JSON, as MicroProfile Health writes it, and the bearer header's token. */
class HealthServletTest {

    private static final HealthCheck UP = () -> HealthCheckResponse.named("disk").up().withData("free_bytes", 7L)
            .withData("writable", true).withData("version", "3.51.1").build();
    private static final HealthCheck DOWN = () -> HealthCheckResponse.named("queues").down().build();

    @Test
    void upWhenEveryCheckIsUpWithTheirData() {
        JsonObject answer = HealthServlet.evaluate(List.of(UP));
        assertEquals("{\"status\":\"UP\",\"checks\":[{\"name\":\"disk\",\"status\":\"UP\",\"data\":{\"free_bytes\":7,"
                + "\"writable\":true,\"version\":\"3.51.1\"}}]}", answer.toString());
    }

    @Test
    void downWhenOneIsDownOrThrows() {
        HealthCheck throwing = () -> {
            throw new IllegalStateException("/srv/secret/path");
        };
        JsonObject answer = HealthServlet.evaluate(List.of(UP, DOWN, throwing));
        assertEquals("DOWN", answer.getString("status"));
        assertEquals("{\"name\":\"queues\",\"status\":\"DOWN\"}", answer.getJsonArray("checks").get(1).toString());
        JsonObject failed = answer.getJsonArray("checks").getJsonObject(2);
        assertEquals("DOWN", failed.getString("status"));
        assertEquals("java.lang.IllegalStateException", failed.getJsonObject("data").getString("failure"));
    }

    @Test
    void noChecksAreUp() {
        assertEquals("{\"status\":\"UP\",\"checks\":[]}", HealthServlet.evaluate(List.of()).toString());
    }

    @Test
    void theBearerTokenIsTakenFromItsHeaderOnly() {
        assertEquals("abc", MetricsServlet.bearer("Bearer abc"));
        assertEquals("abc", MetricsServlet.bearer("bearer  abc "));
        assertNull(MetricsServlet.bearer("Basic YWJjOmRlZg=="));
        assertNull(MetricsServlet.bearer(null));
        assertNull(MetricsServlet.bearer("Bear"));
    }
}
