package io.gitwar.service.cluster;

import io.gitwar.service.hooks.DeliveryPlace;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Webhook deliveries are made by the node that answers for the repository (every node, without a cluster). */
@ApplicationScoped
public class ClusterDeliveryPlace implements DeliveryPlace {

    @Inject
    Cluster cluster;

    @Override
    public boolean deliversHere(String repository) {
        return cluster.locate(repository) instanceof Placement.Local;
    }
}
