package io.gitwar.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;

/** Makes the deployment's {@link GitwarConfig} injectable; read once at first use. */
@ApplicationScoped
class ConfigProducer {

    private GitwarConfig config;

    @Produces // dependent scope: a record cannot be proxied; the instance is cached here instead
    synchronized GitwarConfig config() {
        if (config == null) {
            config = GitwarConfig.from(ConfigProvider.getConfig(ConfigProducer.class.getClassLoader()));
        }
        return config;
    }
}
