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
 * scratch files a crash left removed, repositories of the old data directory layout moved, the
 * release of idle repositories and the emptying of the trash scheduled as {@link Background} work;
 * at the end, background work stopped, every repository's connections closed, JGit's cleanup run
 * and the JDBC driver deregistered, so an undeployed gitwar leaves no thread, timer or open file
 * behind, and nothing that keeps its class loader.
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

    /** How often idle repositories are looked for; they are released after {@code gitwar.idle-release-seconds}. */
    private static final Duration IDLE_CHECK = Duration.ofSeconds(20);

    /** How often the trash is emptied of what is older than {@code gitwar.trash-retention-hours}. */
    private static final Duration TRASH_CHECK = Duration.ofMinutes(10);

    @Inject
    GitwarConfig config;

    @Inject
    ActorRegistry registry;

    @Inject
    Background background;

    private volatile boolean running;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        JGitEnvironment.install(config.blockCacheBytes(), "gitwar/" + Version.VALUE, config.sha1CollisionDetection());
        DataDirectory data = registry.dataDirectory();
        DataDirectory.empty(data.staging());
        DataDirectory.empty(config.spoolDir());
        data.migrateOldLayout(); // before any request: no repository is open yet
        background.runEvery(IDLE_CHECK, "release of idle repositories", registry::retireIdleActors);
        background.run(() -> data.emptyTrash(config.admin().trashRetention()));
        background.runEvery(TRASH_CHECK, "emptying of the trash", () -> data.emptyTrash(config.admin().trashRetention()));
        running = true;
        LOG.info(() -> "gitwar " + Version.VALUE + " serving repositories from " + registry.dataDirectory().root());
    }

    /** Whether gitwar started and is not stopping: the liveness check. */
    public boolean running() {
        return running;
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        running = false;
        background.stop();
        registry.retireAll();
        JGitEnvironment.shutdown();
        SqliteStore.deregisterDrivers();
    }
}
