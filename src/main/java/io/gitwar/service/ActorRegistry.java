package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.storage.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
        this.data = new DataDirectory(config.dataDir());
    }

    /** For CDI's proxy; never called by gitwar. */
    protected ActorRegistry() {
        this.config = null;
        this.data = null;
    }

    /** The repository's actor, leased until {@link Lease#close()}. */
    public Lease lease(RepositoryName name) {
        while (true) {
            RepositoryActor actor = actors.computeIfAbsent(name, n -> new RepositoryActor(n, data.store(n.value())));
            if (actor.tryLease()) {
                return new Lease(actor);
            }
            actors.remove(name, actor); // retired meanwhile: make way for a new one
        }
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
