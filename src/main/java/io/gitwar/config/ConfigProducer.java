package io.gitwar.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes the deployment's {@link GitwarConfig} and {@link ClusterConfig} injectable, read once at first use. {@code @Singleton}
 * (a pseudo-scope without a client proxy) because a record cannot be proxied.
 */
@ApplicationScoped
class ConfigProducer {

    @Produces
    @Singleton
    GitwarConfig config() {
        return GitwarConfig.from(ConfigProvider.getConfig(ConfigProducer.class.getClassLoader()));
    }

    @Produces
    @Singleton
    ClusterConfig clusterConfig() {
        return ClusterConfig.from(ConfigProvider.getConfig(ConfigProducer.class.getClassLoader()));
    }
}
