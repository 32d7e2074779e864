package io.gitwar.service.hooks;

import io.gitwar.service.Background;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires gitwar's public events ({@code io.gitwar.event}) to the deployment's observers: in the order
 * they were {@linkplain #fire handed over}, one at a time, on a background thread, so an observer
 * never runs on (or delays) the thread that answers a client. Callers hand events over only after
 * what they tell was committed (a push: in its transaction's {@code afterCompletion}, while the
 * repository's write turn is still held, so a repository's pushes are told in their order). Each
 * observer is notified by itself, in priority order ({@link ObserverMethod#notify}): CDI's own
 * {@code Event.fire} would let one throwing observer skip every observer after it, and an
 * extension's bug must not silence another's. An observer's exception is logged. At most {@link #MAX_QUEUED} events wait (the newest beyond it are
 * dropped, logged): observers that fall that far behind lose events rather than the heap. Thread-safe.
 */
@ApplicationScoped
public class PublicEvents {

    private static final Logger LOG = Logger.getLogger(PublicEvents.class.getName());

    /** Events waiting for slow observers; each is a few hundred bytes (a push of many refs more). */
    static final int MAX_QUEUED = 10_000;

    @Inject
    BeanManager beans;

    @Inject
    Background background;

    private final Deque<Object> queue = new ArrayDeque<>();
    private boolean draining;

    /** Fires {@code event} soon, after those handed over before it. */
    public void fire(Object event) {
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED) {
                LOG.warning(() -> "observers of gitwar's events are " + MAX_QUEUED + " events behind: "
                        + event.getClass().getSimpleName() + " dropped");
                return;
            }
            queue.addLast(event);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            background.run(this::drain);
        } catch (RejectedExecutionException stopping) {
            synchronized (this) {
                draining = false;
                queue.clear();
            }
        }
    }

    private void drain() {
        while (true) {
            Object event;
            synchronized (this) {
                event = queue.pollFirst();
                if (event == null) {
                    draining = false;
                    return;
                }
            }
            notifyEach(event);
        }
    }

    private void notifyEach(Object event) {
        // Synchronous observers only; a transactional phase means nothing here, no transaction is active.
        var observers = beans.resolveObserverMethods(event).stream().filter(o -> !o.isAsync())
                .sorted(Comparator.comparingInt(ObserverMethod::getPriority)).toList();
        for (ObserverMethod<? super Object> observer : observers) {
            try {
                observer.notify(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an observer of " + event + " failed: " + observer.getBeanClass().getName(), e);
            }
        }
    }
}
