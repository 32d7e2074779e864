package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fairness between repositories: at most {@code gitwar.max-concurrent-fetches-per-repository}
 * smart fetches of one repository and {@code gitwar.max-concurrent-fetches} in all are in progress at
 * once, so that one hot repository cannot take every worker or the whole heap budget. A fetch over a
 * cap is refused at once, not queued: it would hold a worker while it waited, which is what the caps
 * are there to bound ({@link HeapBudget} already queues the admitted ones by the heap they need).
 *
 * <p>Counts only repositories with fetches in progress, so the map never outgrows the requests
 * themselves. Thread-safe.
 */
@ApplicationScoped
public class FetchSlots {

    /** Which cap refused a fetch. */
    public enum Cap {
        REPOSITORY,
        SERVER
    }

    private final CountsPerKey<RepositoryName> perRepository = new CountsPerKey<>();
    private final AtomicInteger total = new AtomicInteger();
    private final GitwarConfig config;

    @Inject
    public FetchSlots(GitwarConfig config) {
        this.config = config;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected FetchSlots() {
        this(null);
    }

    /**
     * A fetch's place among those in progress, or the cap that refused it (then it holds nothing).
     * Closing it gives the place back; idempotent. Confined to the request's thread.
     */
    public final class Slot implements AutoCloseable {
        private final RepositoryName repository;
        private final Cap refusedBy;
        private boolean held;

        private Slot(RepositoryName repository, Cap refusedBy) {
            this.repository = repository;
            this.refusedBy = refusedBy;
            this.held = refusedBy == null;
        }

        /** Whether the fetch may go on. */
        public boolean admitted() {
            return refusedBy == null;
        }

        /** The cap that refused it; null if admitted. */
        public Cap refusedBy() {
            return refusedBy;
        }

        /** What the client is told of a refusal. */
        public String reason() {
            return FetchSlots.this.reason(refusedBy, repository);
        }

        @Override
        public void close() {
            if (held) {
                held = false;
                leave(repository);
            }
        }
    }

    /**
     * The cap a fetch of {@code repository} would meet now, or null if it would be admitted; takes
     * no place. For the upload-pack advertisement, where git shows a refusal's message (it does not for
     * the POST that follows): a client that arrives while the repository or the server is at its cap
     * learns why at once, before it sends its request. Only a hint: places may come free or be taken
     * before its fetch arrives, which {@link #enter} decides.
     */
    public Cap wouldRefuse(RepositoryName repository) {
        if (perRepository.count(repository) >= config.clients().maxConcurrentFetchesPerRepository()) {
            return Cap.REPOSITORY;
        }
        return total.get() >= config.clients().maxConcurrentFetches() ? Cap.SERVER : null;
    }

    /** What a client is told when {@code cap} refuses its fetch of {@code repository}. */
    public String reason(Cap cap, RepositoryName repository) {
        return cap == Cap.REPOSITORY
                ? "too many fetches of " + repository + " in progress (at most "
                        + config.clients().maxConcurrentFetchesPerRepository() + " at once); try again"
                : "server busy: too many fetches in progress (at most " + config.clients().maxConcurrentFetches()
                        + " at once); try again";
    }

    /** Takes a place for a fetch of {@code repository} (its actor's name), unless a cap is reached. */
    public Slot enter(RepositoryName repository) {
        if (!perRepository.tryEnter(repository, config.clients().maxConcurrentFetchesPerRepository())) {
            return new Slot(repository, Cap.REPOSITORY);
        }
        int max = config.clients().maxConcurrentFetches();
        int n;
        do {
            n = total.get();
            if (n >= max) {
                perRepository.leave(repository);
                return new Slot(repository, Cap.SERVER);
            }
        } while (!total.compareAndSet(n, n + 1)); // never above the cap, not even for a moment
        return new Slot(repository, null);
    }

    private void leave(RepositoryName repository) {
        total.decrementAndGet();
        perRepository.leave(repository);
    }

    /** Smart fetches in progress now, for the metrics. */
    public int inProgress() {
        return total.get();
    }
}
