package io.gitwar.service.hooks;

import io.gitwar.config.HooksConfig;
import io.gitwar.config.Version;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes one attempt of a delivery: an HTTP POST of the payload with GitHub's headers (and Gitea's,
 * and gitwar's own), the connect and read timeouts of {@code gitwar.hooks.timeout-seconds}, no
 * redirect followed (a 3xx is a failure: a hook must not be bounced elsewhere), and a whole attempt
 * cut off after twice that timeout (the read timeout bounds each read only: a receiver answering a
 * byte at a time could otherwise hold a delivery place for hours). The hook's URL is
 * checked by the {@link HookGuard} again first. {@link HttpURLConnection} rather than the JDK's
 * {@code HttpClient}, whose selector thread (JDK 17 has no {@code close()}) would outlive an
 * undeployed gitwar; the connection is closed after each attempt, so nothing is kept for reuse.
 * Thread-safe.
 */
final class HookSender {

    /** Bytes of a response body kept in the log. */
    static final int RESPONSE_HEAD_BYTES = 4096;

    /** Runs a task after a delay unless taken back: what ends an attempt that takes too long. */
    interface Watchdog {
        /** Runs {@code task} after {@code delay}; the returned action takes it back. */
        Runnable after(Duration delay, Runnable task);
    }

    private final HooksConfig config;
    private final HookGuard guard;
    private final Watchdog watchdog;

    HookSender(HooksConfig config, Watchdog watchdog) {
        this.config = config;
        this.guard = new HookGuard(config.allowedHosts(), InetAddress::getAllByName);
        this.watchdog = watchdog;
    }

    /** Attempt number {@code attempt} (1 for the first) of {@code delivery} to {@code hook}; never throws. */
    HookRows.Attempt send(HookRows.Hook hook, OutboxRows.Pending delivery, String repository, int attempt) {
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers(hook, delivery, body);
        StringBuilder logged = new StringBuilder();
        headers.forEach((k, v) -> logged.append(k).append(": ").append(v).append('\n'));
        Instant at = Instant.now();
        long start = System.nanoTime();
        Integer status = null;
        String head = null;
        String error = guard.refusal(hook.url());
        if (error == null) {
            HttpURLConnection c = null;
            Runnable takeBack = null;
            try {
                c = (HttpURLConnection) URI.create(hook.url()).toURL().openConnection();
                takeBack = watchdog.after(config.timeout().multipliedBy(2), c::disconnect);
                c.setInstanceFollowRedirects(false);
                c.setConnectTimeout((int) config.timeout().toMillis());
                c.setReadTimeout((int) config.timeout().toMillis());
                c.setUseCaches(false);
                c.setDoOutput(true);
                c.setRequestMethod("POST");
                c.setFixedLengthStreamingMode(body.length);
                headers.forEach(c::setRequestProperty);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
                status = c.getResponseCode();
                head = head(status >= 400 ? c.getErrorStream() : c.getInputStream());
                if (status < 200 || status > 299) {
                    error = status >= 300 && status < 400 ? "redirects are not followed" : "not a 2xx status";
                }
            } catch (IOException | IllegalArgumentException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            } finally {
                if (takeBack != null) {
                    takeBack.run();
                }
                if (c != null) {
                    c.disconnect(); // closes the socket: nothing kept alive in the JDK's cache
                }
            }
        }
        return new HookRows.Attempt(0, hook.id(), delivery.deliveryId(), delivery.event(), repository, attempt, at,
                (System.nanoTime() - start) / 1_000_000, logged.toString(), delivery.payload(), status, head, error);
    }

    static Map<String, String> headers(HookRows.Hook hook, OutboxRows.Pending delivery, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("User-Agent", "gitwar/" + Version.VALUE);
        h.put("Accept", "*/*"); // not HttpURLConnection's own, which asks for images
        h.put("X-Gitwar-Event", delivery.event());
        h.put("X-Gitwar-Delivery", delivery.deliveryId());
        h.put("X-Gitwar-Hook-ID", Long.toString(hook.id()));
        // receivers written for GitHub or Gitea switch on their own names
        h.put("X-GitHub-Event", delivery.event());
        h.put("X-GitHub-Delivery", delivery.deliveryId());
        h.put("X-Gitea-Event", delivery.event());
        h.put("X-Gitea-Delivery", delivery.deliveryId());
        if (!hook.secret().isEmpty()) {
            h.put("X-Hub-Signature-256", Signature.sha256(hook.secret(), body));
        }
        return h;
    }

    /**
     * The body's first bytes. The stream is left to {@link HttpURLConnection#disconnect()}, which
     * closes the socket: closing the stream first could hand the connection to the JDK's keep-alive
     * cache (and its timer thread) for a receiver gitwar may not call again for hours.
     */
    private static String head(InputStream in) throws IOException {
        return in == null ? null : new String(in.readNBytes(RESPONSE_HEAD_BYTES), StandardCharsets.UTF_8);
    }
}
