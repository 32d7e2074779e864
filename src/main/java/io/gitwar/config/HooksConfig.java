package io.gitwar.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Webhooks: where they may point, how deliveries are made and retried, and how much of them a
 * repository keeps ({@code gitwar.hooks.*}).
 *
 * @param allowedHosts hosts, addresses and CIDR ranges hooks may point at although they are
 *        loopback, link-local, unspecified or multicast, which are refused by default
 *        ({@code gitwar.hooks.allowed-hosts}, comma-separated; lower case)
 * @param timeout the connect and the read timeout of one delivery, whose whole attempt is cut off after twice this ({@code gitwar.hooks.timeout-seconds})
 * @param maxAttempts attempts per delivery before it is given up ({@code gitwar.hooks.max-attempts})
 * @param retryDelay the wait after the first failed attempt, doubled after each further one
 *        ({@code gitwar.hooks.retry-seconds})
 * @param maxConcurrentDeliveries deliveries in progress on the server at once
 *        ({@code gitwar.hooks.max-concurrent-deliveries})
 * @param maxHooksPerRepository hooks one repository may have ({@code gitwar.hooks.max-per-repository})
 * @param maxGlobalHooks global hooks ({@code gitwar.hooks.max-global})
 * @param maxPendingPerRepository deliveries one repository's outbox may hold; beyond it the oldest
 *        are dropped ({@code gitwar.hooks.max-pending-per-repository})
 * @param baseUrl the URL repositories are cloned from, as payloads tell it
 *        ({@code gitwar.hooks.base-url}, e.g. {@code https://git.example.com/git/}); empty: the URL
 *        the push itself was sent to
 */
public record HooksConfig(List<String> allowedHosts, Duration timeout, int maxAttempts, Duration retryDelay,
        int maxConcurrentDeliveries, int maxHooksPerRepository, int maxGlobalHooks, int maxPendingPerRepository,
        Optional<String> baseUrl) {

    public static final String ALLOWED_HOSTS = "gitwar.hooks.allowed-hosts";

    public HooksConfig {
        allowedHosts = List.copyOf(allowedHosts);
        require(timeout.toMillis() >= 1000 && timeout.toSeconds() <= 300, "gitwar.hooks.timeout-seconds", "1..300");
        require(maxAttempts >= 1 && maxAttempts <= 20, "gitwar.hooks.max-attempts", "1..20");
        require(retryDelay.toSeconds() >= 1 && retryDelay.toSeconds() <= 3600, "gitwar.hooks.retry-seconds", "1..3600");
        require(maxConcurrentDeliveries >= 1 && maxConcurrentDeliveries <= 64,
                "gitwar.hooks.max-concurrent-deliveries", "1..64");
        require(maxHooksPerRepository >= 0 && maxHooksPerRepository <= 1000, "gitwar.hooks.max-per-repository",
                "0..1000");
        require(maxGlobalHooks >= 0 && maxGlobalHooks <= 1000, "gitwar.hooks.max-global", "0..1000");
        require(maxPendingPerRepository >= 1 && maxPendingPerRepository <= 1_000_000,
                "gitwar.hooks.max-pending-per-repository", "1..1000000");
    }

    static HooksConfig from(Settings s) {
        return new HooksConfig(
                s.list(ALLOWED_HOSTS, List.of()).stream().map(String::trim).filter(h -> !h.isEmpty())
                        .map(h -> h.toLowerCase(Locale.ROOT)).toList(),
                // GitHub gives a receiver 10 s to answer
                Duration.ofSeconds(s.get("gitwar.hooks.timeout-seconds", Long.class, 10L)),
                // 10 s doubling 8 times: the last attempt about 21 minutes after the first, 42 in all,
                // which outlasts a receiver's restart or a short outage
                s.get("gitwar.hooks.max-attempts", Integer.class, 8),
                Duration.ofSeconds(s.get("gitwar.hooks.retry-seconds", Long.class, 10L)),
                // a dead receiver holds a slot for the timeout at most; 8 of them still leave the
                // managed executor's other work (repacks) its threads
                s.get("gitwar.hooks.max-concurrent-deliveries", Integer.class, 8),
                // Gitea's and GitHub's limit per repository is 20 hooks
                s.get("gitwar.hooks.max-per-repository", Integer.class, 20),
                // GitHub's per organization is 20; an operator's server-wide list may be longer
                s.get("gitwar.hooks.max-global", Integer.class, 50),
                // 1000 pending deliveries of up to ~100 KiB payload each: at most ~100 MiB of a file
                // whose receivers all failed, usually a few MiB
                s.get("gitwar.hooks.max-pending-per-repository", Integer.class, 1000),
                s.string("gitwar.hooks.base-url").map(String::trim).filter(u -> !u.isEmpty())
                        .map(u -> u.endsWith("/") ? u : u + "/"));
    }

    /** The wait before attempt {@code attempt + 1} after {@code attempt} failed ones. */
    public Duration backoff(int attempt) {
        return retryDelay.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
    }

    private static void require(boolean ok, String key, String range) {
        if (!ok) {
            throw new IllegalArgumentException(key + " must be in " + range);
        }
    }
}
