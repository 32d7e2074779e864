package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.Version;
import io.gitwar.storage.DataDirectory;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.dfs.JGitEnvironment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * What gitwar does when the application starts and stops: JGit's process-wide settings first, the
 * scratch files a crash left removed, the release of idle repositories scheduled as
 * {@link Background} work; at the end, background work stopped, every repository's connections
 * closed, JGit's cleanup run and the JDBC driver deregistered, so an undeployed gitwar leaves no
 * thread, timer or open file behind, and nothing that keeps its class loader.
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

    /** How often idle repositories are looked for; they are released after {@code gitwar.idle-release-seconds}. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(20);

    @Inject
    GitwarConfig config;

    @Inject
    ActorRegistry registry;

    @Inject
    Background background;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        JGitEnvironment.install(config.blockCacheBytes(), "gitwar/" + Version.VALUE, config.sha1CollisionDetection());
        DataDirectory.empty(registry.dataDirectory().staging());
        DataDirectory.empty(config.spoolDir());
        background.runEvery(IDLE_CHECK, "release of idle repositories", registry::retireIdleActors);
        LOG.info(() -> "gitwar " + Version.VALUE + " serving repositories from " + registry.dataDirectory().root());
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        background.stop();
        registry.retireAll();
        JGitEnvironment.shutdown();
        SqliteStore.deregisterDrivers();
    }
}
