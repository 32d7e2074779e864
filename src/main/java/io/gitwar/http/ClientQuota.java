package io.gitwar.http;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.TooManyRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the requests one client address has in progress ({@code gitwar.max-requests-per-client}),
 * so that one client cannot hold every worker thread, however slowly it sends or reads. Behind a
 * reverse proxy every request comes from the proxy's address unless the container is told to take
 * the client's from {@code X-Forwarded-For} (Undertow: {@code proxy-address-forwarding}).
 * Counts only addresses with requests in progress: the map never outgrows the requests themselves.
 */
@ApplicationScoped
class ClientQuota {

    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

    @Inject
    GitwarConfig config;

    /** A request's place in its client's quota; closing it gives the place back. */
    @FunctionalInterface
    interface Place extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @throws TooManyRequests if the client already has its share in progress
     */
    Place enter(String client) {
        int max = config.clients().maxRequestsPerClient();
        boolean[] admitted = {false};
        inProgress.compute(client, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            throw new TooManyRequests("too many requests in progress from " + client + " (at most " + max
                    + " at once); try again");
        }
        return () -> inProgress.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }
}
