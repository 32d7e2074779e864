package io.gitwar.config;

/**
 * How gitwar is watched: its metrics and its readiness.
 *
 * @param metricsRequireToken {@code /git/-/metrics} answers only requests with the admin token
 *        ({@code gitwar.metrics.require-token}; public by default, like Gitea's and GitLab's)
 * @param maxWaitingWrites the node reports itself not ready while this many writes (pushes, repacks)
 *        wait for their repositories' turns in all ({@code gitwar.health.max-waiting-writes})
 */
public record Monitoring(boolean metricsRequireToken, int maxWaitingWrites) {

    static Monitoring from(Settings s) {
        return new Monitoring(
                s.get("gitwar.metrics.require-token", Boolean.class, false),
                // Each waiting write holds a worker thread: half of the pool of the provisioned WildFly
                // (128, wildfly-config/provisioning.cli) waiting on writes means new requests may soon
                // find no worker; a balancer should send them elsewhere until the queues drain. One
                // busy repository alone never gets there (gitwar.max-queued-pushes, 16, per repository).
                s.get("gitwar.health.max-waiting-writes", Integer.class, 64));
    }
}
