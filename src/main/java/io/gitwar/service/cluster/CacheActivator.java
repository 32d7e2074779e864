package io.gitwar.service.cluster;

import io.gitwar.config.ClusterConfig;
import org.jboss.msc.Service;
import org.jboss.msc.service.ServiceActivator;
import org.jboss.msc.service.ServiceActivatorContext;
import org.jboss.msc.service.ServiceBuilder;
import org.jboss.msc.service.ServiceName;

/**
 * WildFly only (META-INF/services; Payara never loads it): in cluster mode, starts the placement
 * cache with the deployment. WildFly starts a cache only when something depends on it, and a JNDI
 * lookup is not a dependency (it finds the binding but no value); an {@code @Resource} would be one,
 * but it would make the WAR fail to deploy on a server without the cache. This service depends on
 * the cache's JNDI binding only when {@code gitwar.cluster.enabled} is set, which it reads from the
 * system properties and the environment (MicroProfile Config is not there yet at this point).
 * {@link Cluster} then waits for the binding's value.
 */
public final class CacheActivator implements ServiceActivator {

    @Override
    public void activate(ServiceActivatorContext context) {
        String enabled = System.getProperty("gitwar.cluster.enabled", System.getenv("GITWAR_CLUSTER_ENABLED"));
        if (!Boolean.parseBoolean(enabled)) {
            return;
        }
        String jndi = System.getProperty("gitwar.cluster.cache",
                System.getenv().getOrDefault("GITWAR_CLUSTER_CACHE", ClusterConfig.DEFAULT_CACHE));
        ServiceBuilder<?> builder = context.getServiceTarget().addService();
        builder.provides(ServiceName.of("io", "gitwar", "cluster", "placement-cache"));
        builder.requires(binder(jndi));
        builder.setInstance(Service.NULL);
        builder.install();
    }

    /** The service that binds {@code java:jboss/<name>}, as WildFly's naming names it. */
    static ServiceName binder(String jndi) {
        String prefix = "java:jboss/";
        if (!jndi.startsWith(prefix)) {
            throw new IllegalArgumentException("the placement cache must be under java:jboss/, not " + jndi);
        }
        // WildFly's ContextNames.buildServiceName: one name segment per JNDI path segment
        return ServiceName.JBOSS.append("naming", "context", "java", "jboss")
                .append(jndi.substring(prefix.length()).split("/"));
    }
}
