package io.gitwar.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver as the tests' outside world: the JDK's HTTP server on 127.0.0.1, recording every
 * delivery, verifying {@code X-Hub-Signature-256} with the algorithm GitHub documents (HMAC-SHA256 of
 * the raw body, compared in constant time), answering with the statuses it is given (then 200). It
 * can be stopped and started again on the same port, as a receiver that was down.
 */
final class HookReceiver implements AutoCloseable {

    /** One request received. */
    record Delivery(Map<String, String> headers, byte[] body, boolean signatureValid, long receivedNanos) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String secret;
    private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
    private final List<Delivery> received = new ArrayList<>();
    private int port;
    private HttpServer server;

    private HookReceiver(String secret) {
        this.secret = secret;
    }

    /** A receiver listening on an ephemeral port of 127.0.0.1. */
    static HookReceiver start(String secret) throws IOException {
        HookReceiver r = new HookReceiver(secret);
        r.listen(0);
        return r;
    }

    /** Listens again on the same port (after {@link #stop()}). */
    void restart() throws IOException {
        listen(port);
    }

    private void listen(int at) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", at), 16);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            boolean valid = verify(headers.get("x-hub-signature-256"), body);
            synchronized (this) {
                received.add(new Delivery(headers, body, valid, System.nanoTime()));
                notifyAll();
            }
            Integer status = statuses.pollFirst();
            byte[] answer = ("received " + (status == null ? 200 : status)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    /** GitHub's documented check: {@code sha256=} + hex HMAC-SHA256(secret, raw body), constant-time equal. */
    private boolean verify(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    header.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            return false;
        }
    }

    /** The next requests are answered with these statuses, in order (then 200 again). */
    void answer(Integer... next) {
        statuses.addAll(List.of(next));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    int port() {
        return port;
    }

    /** Everything received so far. */
    synchronized List<Delivery> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code n} requests arrived in all, or fails after {@code timeout}. */
    synchronized List<Delivery> await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the receiver got " + received.size() + " deliveries within " + timeout
                        + ", not " + n + ": " + received.stream().map(d -> d.header("x-gitwar-delivery")).toList());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(received);
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
