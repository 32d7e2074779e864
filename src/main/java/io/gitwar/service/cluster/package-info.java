/**
 * Cluster mode: which node owns which repository. The placement lives in a replicated Infinispan
 * cache of the application server's cluster ({@link PlacementStore}); membership is that cache's
 * view, which is the JGroups view of the server's channel. Off by default: a single node never
 * touches Infinispan.
 */
package io.gitwar.service.cluster;
