package io.gitwar.service;

import io.gitwar.storage.JGitEnvironment;
import io.gitwar.storage.SqliteStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Hands out the one {@link RepositoryActor} of each repository name.
 *
 * <p>Container-managed locks: {@link #lease} takes the shared (READ) lock, so requests to any
 * repositories proceed in parallel; retiring idle actors takes the exclusive (WRITE) lock for a
 * moment, so no actor is retired between being looked up and being leased, and no name ever has two
 * actors. Retired actors release their SQLite connections; the next request makes a new one.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.CONTAINER)
@Lock(LockType.READ)
public class ActorRegistry {

    private static final Logger LOG = Logger.getLogger(ActorRegistry.class.getName());

    private final Map<RepositoryName, RepositoryActor> actors = new ConcurrentHashMap<>();

    @Inject
    GitwarConfig config;

    @PostConstruct
    void start() {
        JGitEnvironment.install(config.blockCacheBytes(), "gitwar/" + Version.VALUE,
                config.sha1CollisionDetection());
        removeLeftoverSpool();
        LOG.info(() -> "gitwar " + Version.VALUE + " serving repositories from " + config.dataDir().toAbsolutePath());
    }

    /** Spooled bodies of requests that a crash interrupted are garbage now. */
    private void removeLeftoverSpool() {
        Path spool = config.spoolDir();
        if (!Files.isDirectory(spool)) {
            return;
        }
        try (Stream<Path> files = Files.list(spool)) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warning(() -> "cannot remove leftover " + f + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warning(() -> "cannot list " + spool + ": " + e.getMessage());
        }
    }

    /**
     * The repository's actor, leased until {@link Lease#close()}: the request holding the lease may
     * use it freely.
     */
    public Lease lease(RepositoryName name) {
        RepositoryActor actor = actors.computeIfAbsent(name,
                n -> new RepositoryActor(n, SqliteStore.at(n.databaseFile(config.dataDir()), n.value())));
        actor.lease();
        return new Lease(actor, config);
    }

    /** Retires actors nobody used for a while, releasing their connections. */
    @Schedule(hour = "*", minute = "*", second = "*/20", persistent = false)
    @Lock(LockType.WRITE)
    void retireIdleActors() {
        List<RepositoryActor> idle = new ArrayList<>();
        actors.values().removeIf(a -> a.idleFor(config.idleRelease()) && idle.add(a));
        idle.forEach(RepositoryActor::retire);
    }

    @PreDestroy
    @Lock(LockType.WRITE)
    void stop() {
        actors.values().forEach(RepositoryActor::retire);
        actors.clear();
        JGitEnvironment.shutdown();
    }

    /** A request's hold on an actor. */
    public static final class Lease implements AutoCloseable {
        private final RepositoryActor actor;
        private final GitwarConfig config;
        private boolean closed;

        Lease(RepositoryActor actor, GitwarConfig config) {
            this.actor = actor;
            this.config = config;
        }

        public RepositoryActor actor() {
            return actor;
        }

        /** A read view of the repository for this request; closed by the caller. */
        public RepositoryView view() {
            return new RepositoryView(actor, config);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                actor.release();
            }
        }
    }
}
