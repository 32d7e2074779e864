package io.gitwar.http;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.TooManyRequests;
import jakarta.enterprise.context.ApplicationScoped;
import io.gitwar.service.CountsPerKey;
import jakarta.inject.Inject;

/**
 * Bounds the requests one client address has in progress ({@code gitwar.max-requests-per-client}),
 * so that one client cannot hold every worker thread, however slowly it sends or reads. Behind a
 * reverse proxy every request comes from the proxy's address unless the container is told to take
 * the client's from {@code X-Forwarded-For} (Undertow: {@code proxy-address-forwarding}); a request
 * another node of the cluster forwarded counts against its client's address
 * ({@link ClusterForwarding#client}).
 */
@ApplicationScoped
class ClientQuota {

    private final CountsPerKey<String> inProgress = new CountsPerKey<>();

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
        if (!inProgress.tryEnter(client, max)) {
            throw new TooManyRequests("too many requests in progress from " + client + " (at most " + max
                    + " at once); try again");
        }
        return () -> inProgress.leave(client);
    }
}
