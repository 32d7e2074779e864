package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.storage.DataDirectory;
import io.gitwar.storage.NameHolds;
import io.gitwar.storage.RepositoryHeldException;
import io.gitwar.storage.SqliteStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out the one {@link RepositoryActor} of each repository name, as {@link Lease}s.
 *
 * <p>Lock-free: requests to any repositories proceed in parallel, and retiring an idle actor takes
 * no lock that other repositories wait on. An actor is retired only at a moment no lease is held
 * (an atomic step of the actor), and a retired actor is never leased again: the next request makes
 * a new one. Closing a retired actor's connections (which may checkpoint its WAL) happens outside
 * any shared state.
 */
@ApplicationScoped
public class ActorRegistry {

    private final Map<RepositoryName, RepositoryActor> actors = new ConcurrentHashMap<>();
    private final GitwarConfig config;
    private final DataDirectory data;

    @Inject
    public ActorRegistry(GitwarConfig config) {
        this.config = config;
        try {
            this.data = DataDirectory.open(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + config.dataDir(), e);
        }
    }

    /** For CDI's proxy; never called by gitwar. */
    protected ActorRegistry() {
        this.config = null;
        this.data = null;
    }

    /**
     * The repository's actor, leased until {@link Lease#close()}. Where the data directory ignores
     * case, names that differ only in case are one file, so they get one actor (named in lower case):
     * one write turn, one pool of connections on one spelling of the path.
     */
    public Lease lease(RepositoryName name) {
        RepositoryName key = new RepositoryName(data.canonicalName(name.value()));
        while (true) {
            RepositoryActor actor = actors.computeIfAbsent(key,
                    n -> new RepositoryActor(n, data.store(n.value()), config.pushQueueTimeout()));
            if (actor.tryLease()) {
                return new Lease(actor);
            }
            actors.remove(key, actor); // retired meanwhile: make way for a new one
        }
    }

    /** Repositories with an actor now (open connections), for the metrics. */
    public int openRepositories() {
        return actors.size();
    }

    /**
     * Writes (pushes, repacks) waiting for their repository's turn now, in all: each holds a
     * request thread. For the metrics and the readiness check; costs a look at every open repository.
     */
    public int waitingWrites() {
        int waiting = 0;
        for (RepositoryActor actor : actors.values()) {
            waiting += actor.waitingWrites();
        }
        return waiting;
    }

    /** The spelling of {@code name} that identifies its file here (see {@link #lease}). */
    public RepositoryName canonical(RepositoryName name) {
        return new RepositoryName(data.canonicalName(name.value()));
    }

    /**
     * Holds the repository's name while its file is swapped, moved or removed, or a new one is put
     * there ({@link NameHolds}); the caller releases it.
     *
     * @throws RepositoryBusy if the name is held already (another such operation, or reads of a
     *         former file still finishing)
     */
    public NameHolds.Hold hold(RepositoryName name) {
        try {
            return data.holds().hold(canonical(name).value());
        } catch (RepositoryHeldException e) {
            throw new RepositoryBusy(e.getMessage());
        }
    }

    /**
     * Gives the actor's repository up, in the caller's write turn on it and with its name held:
     * the actor is never leased again (the next request gets a new one, on whatever file is there
     * then), requests holding it fail from their next snapshot or write on, and its connections
     * close as their snapshots end.
     *
     * @param why what a request that still holds the actor is told ("repository a was deleted")
     * @return the actor's closed store, {@linkplain SqliteStore#inUse() in use} until then
     */
    public SqliteStore remove(RepositoryActor actor, String why) {
        SqliteStore store = actor.remove(why);
        actors.remove(actor.name(), actor);
        return store;
    }

    /** The data directory the actors' files live in. */
    public DataDirectory dataDirectory() {
        return data;
    }

    /** Retires actors nobody used for a while, releasing their connections. */
    void retireIdleActors() {
        for (RepositoryActor actor : actors.values()) {
            if (actor.retireIfIdle(config.idleRelease())) {
                actors.remove(actor.name(), actor);
                actor.close();
            }
        }
    }

    /** Retires every actor: the application is stopping and no request runs any more. */
    void retireAll() {
        for (RepositoryActor actor : actors.values()) {
            actor.retire();
            actors.remove(actor.name(), actor);
            actor.close();
        }
    }
}
