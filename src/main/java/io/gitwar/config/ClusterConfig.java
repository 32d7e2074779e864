package io.gitwar.config;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Cluster mode (README, "Cluster"), off unless {@code gitwar.cluster.enabled=true}. Off, gitwar is
 * one node exactly as before: no Infinispan class is loaded, no JNDI name looked up, so the same WAR
 * runs on a WildFly without the clustering layers and on Payara.
 *
 * @param enabled {@code gitwar.cluster.enabled}: join the cluster of the server's JGroups channel
 * @param url {@code gitwar.cluster.url}: this node's base URL as the other nodes reach it
 *        ({@code http://127.0.0.1:21001/git}); by default {@code http://127.0.0.1:<jboss.http.port>/git}
 * @param cacheJndiName {@code gitwar.cluster.cache}: the replicated Infinispan cache holding the
 *        placement, as the cluster build defines it (wildfly-config/cluster.cli)
 * @param copies {@code gitwar.cluster.replicas}: on how many nodes a repository created by a push is
 *        kept (its primary and {@code copies - 1} replicas, as far as there are live nodes); a push
 *        is acknowledged once a majority of them stored it. Default 3 (2 on a 2-node cluster); 1: on
 *        its owner only, which moves and rebalancing place (part 1)
 * @param rereplicateAfter {@code gitwar.cluster.rereplicate-after-seconds} (default 300): how long a
 *        node holding a copy may be out of the cluster before its primary makes the copy on another node
 * @param minorityReads {@code gitwar.cluster.minority-reads} (default false): whether a node that sees
 *        fewer than a majority of a replicated repository's nodes (the minority side of a partition, or
 *        the survivor of most of them) still serves reads of its copy, which may miss pushes the others
 *        acknowledged since; pushes are refused there either way
 */
public record ClusterConfig(boolean enabled, String url, String cacheJndiName, int copies,
        java.time.Duration rereplicateAfter, boolean minorityReads) {

    /** The cache wildfly-config/cluster.cli adds to the container "server" of the layer singleton-ha. */
    public static final String DEFAULT_CACHE = "java:jboss/infinispan/cache/server/gitwar-placement";

    /** GitHub's Spokes keeps three copies; fewer live nodes, fewer copies. */
    public static final int DEFAULT_COPIES = 3;

    public static ClusterConfig from(Config config) {
        boolean enabled = config.getOptionalValue("gitwar.cluster.enabled", Boolean.class).orElse(false);
        Optional<String> url = config.getOptionalValue("gitwar.cluster.url", String.class);
        String port = System.getProperty("jboss.http.port", "8080");
        return new ClusterConfig(enabled, url.orElse("http://127.0.0.1:" + port + "/git").replaceAll("/+$", ""),
                config.getOptionalValue("gitwar.cluster.cache", String.class).orElse(DEFAULT_CACHE),
                Math.max(1, config.getOptionalValue("gitwar.cluster.replicas", Integer.class).orElse(DEFAULT_COPIES)),
                java.time.Duration.ofSeconds(Math.max(0,
                        config.getOptionalValue("gitwar.cluster.rereplicate-after-seconds", Long.class).orElse(300L))),
                config.getOptionalValue("gitwar.cluster.minority-reads", Boolean.class).orElse(false));
    }
}
