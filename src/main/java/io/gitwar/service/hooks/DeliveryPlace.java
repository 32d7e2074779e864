package io.gitwar.service.hooks;

/**
 * Whether this node makes a repository's webhook deliveries: in a cluster, only the node that
 * answers for it (a replicated repository's primary; its replicas hold the same outbox, and make its
 * deliveries once one of them has taken over). Implemented where the placement is known.
 */
public interface DeliveryPlace {

    boolean deliversHere(String repository);
}
