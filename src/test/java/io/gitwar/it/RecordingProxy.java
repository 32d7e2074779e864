package io.gitwar.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A reverse proxy on 127.0.0.1 in front of the test server that records every GET and HEAD it
 * forwards (to count what a git client asks for), and can cut one response short: the first whose
 * path matches is answered with its headers and only the first N bytes of its body, then the
 * connection is closed, as a dropped network connection would.
 */
public final class RecordingProxy implements AutoCloseable {

    /** One forwarded request. */
    public record Request(String method, String path, String range, int status) {
    }

    /** Headers the JDK client sets itself (or refuses), and hop-by-hop ones. */
    private static final Set<String> SKIPPED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "date");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String upstream;
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> cutPath = p -> false;
    private volatile long cutAfter;
    private final AtomicBoolean cutDone = new AtomicBoolean();

    /** Proxies {@code http://127.0.0.1:port/...} to {@code upstream} (scheme, host and port only). */
    public RecordingProxy(String upstream) throws IOException {
        this.upstream = upstream.replaceAll("/+$", "");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** The proxy's address, e.g. {@code http://127.0.0.1:41234}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Cuts the first response whose path matches after {@code bytes} bytes of its body. */
    public void cutOnce(Predicate<String> path, long bytes) {
        cutAfter = bytes;
        cutDone.set(false);
        cutPath = path;
    }

    public List<Request> requests() {
        return List.copyOf(log);
    }

    public void clear() {
        log.clear();
    }

    private void forward(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String query = x.getRequestURI().getRawQuery();
            // A request without a body is forwarded without one: a stream publisher would send an empty
            // chunked body, which Payara's Grizzly answers with 400 on a GET
            boolean body = x.getRequestHeaders().containsKey("Content-Length")
                    || x.getRequestHeaders().containsKey("Transfer-Encoding");
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path + (query == null ? "" : "?" + query)))
                    .timeout(Duration.ofMinutes(5))
                    .method(x.getRequestMethod(), body ? HttpRequest.BodyPublishers.ofInputStream(x::getRequestBody)
                            : HttpRequest.BodyPublishers.noBody());
            x.getRequestHeaders().forEach((name, values) -> {
                if (!SKIPPED.contains(name.toLowerCase())) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            log.add(new Request(x.getRequestMethod(), path, x.getRequestHeaders().getFirst("Range"), r.statusCode()));
            r.headers().map().forEach((name, values) -> {
                if (!SKIPPED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    x.getResponseHeaders().put(name, values);
                }
            });
            long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean head = "HEAD".equals(x.getRequestMethod());
            boolean noBody = head || r.statusCode() == 304 || r.statusCode() == 204 || length == 0;
            if (head) {
                length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                x.getResponseHeaders().set("Content-Length", Long.toString(Math.max(length, 0)));
            }
            // JDK server: -1 = no body, 0 = chunked (length unknown), n = exactly n bytes
            x.sendResponseHeaders(r.statusCode(), noBody ? -1 : length < 0 ? 0 : length);
            try (InputStream in = r.body()) {
                if (noBody) {
                    return;
                }
                if (cutPath.test(path) && cutDone.compareAndSet(false, true)) {
                    OutputStream out = x.getResponseBody();
                    out.write(in.readNBytes((int) cutAfter));
                    out.flush();
                    throw new IOException("cut on purpose after " + cutAfter + " bytes");
                }
                in.transferTo(x.getResponseBody());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
