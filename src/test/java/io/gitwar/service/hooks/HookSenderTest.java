package io.gitwar.service.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gitwar.config.HooksConfig;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One attempt against the JDK's HTTP server on 127.0.0.1: what is sent, and what counts as delivered. */
class HookSenderTest {

    private HttpServer server;
    private final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();

    private static final OutboxRows.Pending DELIVERY = new OutboxRows.Pending(1, "d-1", OutboxRows.Scope.REPOSITORY, 7,
            "push", "{\"ref\":\"refs/heads/main\"}", 0, Instant.EPOCH, Instant.EPOCH);

    @BeforeEach
    void listen() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            Map<String, String> h = new ConcurrentHashMap<>();
            x.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            headers.put(path, h);
            bodies.put(path, new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (path.equals("/trickle")) {
                trickle(x);
                return;
            }
            byte[] answer = path.equals("/big") ? new byte[100_000] : ("answer of " + path).getBytes(StandardCharsets.UTF_8);
            int status = switch (path) {
                case "/fail" -> 500;
                case "/moved" -> 302;
                default -> 200;
            };
            if (status == 302) {
                x.getResponseHeaders().add("Location", url("/elsewhere"));
            }
            x.sendResponseHeaders(status, answer.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        watchdogs.shutdownNow();
    }

    /** Answers 200 and then a byte of body every 200 ms, each well within the read timeout, for ever. */
    private static void trickle(com.sun.net.httpserver.HttpExchange x) throws java.io.IOException {
        x.getRequestBody().readAllBytes();
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            while (true) {
                out.write('.');
                out.flush();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (java.io.IOException closedByTheSender) {
            // the attempt was cut off: what the test waits for
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private final ScheduledExecutorService watchdogs = Executors.newSingleThreadScheduledExecutor();

    private HookSender sender(List<String> allowed) {
        return sender(allowed, Duration.ofSeconds(5));
    }

    private HookSender sender(List<String> allowed, Duration timeout) {
        return new HookSender(new HooksConfig(allowed, timeout, 8, Duration.ofSeconds(10), 8, 20, 50, 1000,
                Optional.empty()), (delay, task) -> {
                    var cut = watchdogs.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                    return () -> cut.cancel(false);
                });
    }

    private static HookRows.Hook hook(String url, String secret) {
        return new HookRows.Hook(7, url, secret, List.of("push"), true, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void aDeliveryCarriesGitHubsHeadersAndTheSignatureOfItsBody() {
        HookRows.Attempt a = sender(List.of("127.0.0.1")).send(hook(url("/ok"), "s3cret"), DELIVERY, "team/app", 2);
        assertNull(a.error());
        assertEquals(200, a.status());
        assertEquals("answer of /ok", a.responseHead());
        assertEquals(2, a.attempt());
        assertEquals("team/app", a.repository());
        Map<String, String> h = headers.get("/ok");
        assertEquals("application/json", h.get("content-type"));
        assertEquals("push", h.get("x-gitwar-event"));
        assertEquals("push", h.get("x-github-event"));
        assertEquals("d-1", h.get("x-gitwar-delivery"));
        assertEquals("7", h.get("x-gitwar-hook-id"));
        assertTrue(h.get("user-agent").startsWith("gitwar/"), h.get("user-agent"));
        assertEquals(Signature.sha256("s3cret", DELIVERY.payload().getBytes(StandardCharsets.UTF_8)),
                h.get("x-hub-signature-256"));
        assertEquals(DELIVERY.payload(), bodies.get("/ok"));
        assertTrue(a.requestHeaders().contains("X-Gitwar-Delivery: d-1\n"), a.requestHeaders());
    }

    @Test
    void withoutASecretNothingIsSigned() {
        sender(List.of("127.0.0.1")).send(hook(url("/unsigned"), ""), DELIVERY, "r", 1);
        assertNull(headers.get("/unsigned").get("x-hub-signature-256"));
    }

    @Test
    void aServerErrorIsAFailureWithItsStatus() {
        HookRows.Attempt a = sender(List.of("127.0.0.1")).send(hook(url("/fail"), ""), DELIVERY, "r", 1);
        assertEquals(500, a.status());
        assertEquals("not a 2xx status", a.error());
        assertEquals("answer of /fail", a.responseHead());
    }

    @Test
    void aRedirectIsNotFollowed() {
        HookRows.Attempt a = sender(List.of("127.0.0.1")).send(hook(url("/moved"), ""), DELIVERY, "r", 1);
        assertEquals(302, a.status());
        assertEquals("redirects are not followed", a.error());
        assertNull(headers.get("/elsewhere"));
    }

    @Test
    void onlyTheHeadOfALongAnswerIsKept() {
        HookRows.Attempt a = sender(List.of("127.0.0.1")).send(hook(url("/big"), ""), DELIVERY, "r", 1);
        assertEquals(HookSender.RESPONSE_HEAD_BYTES, a.responseHead().length());
    }

    /** Without the whole attempt's deadline this runs for 4096 × 200 ms, since no single read times out. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang detector, not a speed check
    void aReceiverThatAnswersAByteAtATimeIsCutOff() {
        HookRows.Attempt a = sender(List.of("127.0.0.1"), Duration.ofSeconds(1)).send(hook(url("/trickle"), ""),
                DELIVERY, "r", 1);
        assertEquals(200, a.status());
        assertTrue(a.error() != null && a.error().contains("IOException"), String.valueOf(a.error()));
    }

    @Test
    void aReceiverThatIsNotAllowedIsNotCalled() {
        HookRows.Attempt a = sender(List.of()).send(hook(url("/ok"), ""), DELIVERY, "r", 1);
        assertNull(a.status());
        assertTrue(a.error().contains("loopback"), a.error());
        assertNull(headers.get("/ok"));
    }

    @Test
    void aClosedPortIsAFailureWithoutStatus() {
        String closed = url("/ok");
        server.stop(0);
        HookRows.Attempt a = sender(List.of("127.0.0.1")).send(hook(closed, ""), DELIVERY, "r", 1);
        assertNull(a.status());
        assertTrue(a.error().startsWith("ConnectException"), a.error());
    }
}
