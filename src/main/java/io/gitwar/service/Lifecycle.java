package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.Version;
import io.gitwar.storage.DataDirectory;
import io.gitwar.storage.dfs.JGitEnvironment;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What gitwar does when the application starts and stops: JGit's process-wide settings first, the
 * scratch files a crash left removed, repositories of the old data directory layout moved, the release of idle repositories and the emptying of the trash scheduled on the container's
 * scheduler; at the end, every repository's connections closed and JGit's cleanup run, so an
 * undeployed gitwar leaves no thread or open file behind.
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

    /** How often idle repositories are looked for; they are released after {@code gitwar.idle-release-seconds}. */
    private static final long IDLE_CHECK_SECONDS = 20;

    /** How often the trash is emptied of what is older than {@code gitwar.trash-retention-hours}. */
    private static final long TRASH_CHECK_MINUTES = 10;

    @Inject
    GitwarConfig config;

    @Inject
    ActorRegistry registry;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> idleRelease;
    private volatile boolean running;
    private ScheduledFuture<?> trashEmptying;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        JGitEnvironment.install(config.blockCacheBytes(), "gitwar/" + Version.VALUE, config.sha1CollisionDetection());
        DataDirectory data = registry.dataDirectory();
        DataDirectory.empty(data.staging());
        DataDirectory.empty(config.spoolDir());
        data.migrateOldLayout(); // before any request: no repository is open yet
        idleRelease = scheduler.scheduleWithFixedDelay(registry::retireIdleActors, IDLE_CHECK_SECONDS,
                IDLE_CHECK_SECONDS, TimeUnit.SECONDS);
        trashEmptying = scheduler.scheduleWithFixedDelay(() -> data.emptyTrash(config.admin().trashRetention()), 0,
                TRASH_CHECK_MINUTES, TimeUnit.MINUTES);
        running = true;
        LOG.info(() -> "gitwar " + Version.VALUE + " serving repositories from " + registry.dataDirectory().root());
    }

    /** Whether gitwar started and is not stopping: the liveness check. */
    public boolean running() {
        return running;
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        running = false;
        if (idleRelease != null) {
            idleRelease.cancel(false);
        }
        if (trashEmptying != null) {
            trashEmptying.cancel(false);
        }
        registry.retireAll();
        JGitEnvironment.shutdown();
    }
}
