package io.gitwar.it.sample;

import io.gitwar.event.PushReceived;
import io.gitwar.event.RepositoryCreated;
import io.gitwar.event.RepositoryDeleted;
import io.gitwar.event.RepositoryRenamed;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sample observer of gitwar's public events, as a deployment's own code would write one (the
 * README shows it): a plain {@code @Observes} and an {@code @Observes(during = AFTER_SUCCESS)}. It
 * records one line per event, with the thread it ran on, for {@link ObservedEventsServlet}.
 */
@ApplicationScoped
public class SampleObserver {

    private final List<String> seen = new ArrayList<>();

    void pushed(@Observes @Priority(1) PushReceived push) {
        record("push " + push.repository() + " " + push.refUpdates().stream()
                .map(u -> u.ref() + ":" + u.oldId() + ".." + u.newId()).collect(Collectors.joining(","))
                + " client=" + push.clientAddress() + " objects=" + push.objects() + " bytes=" + push.bytes());
    }

    void pushedAfterSuccess(@Observes(during = TransactionPhase.AFTER_SUCCESS) @Priority(2) PushReceived push) {
        record("after-success " + push.repository() + " " + push.refUpdates().get(0).newId());
    }

    void created(@Observes RepositoryCreated created) {
        record("created " + created.repository());
    }

    void deleted(@Observes RepositoryDeleted deleted) {
        record("deleted " + deleted.repository());
    }

    void renamed(@Observes RepositoryRenamed renamed) {
        record("renamed " + renamed.from() + " " + renamed.to());
    }

    /** An observer that always fails, first: its failure must reach neither the push nor the observers after it. */
    void fails(@Observes @Priority(0) PushReceived push) {
        throw new IllegalStateException("a failing observer of " + push.repository());
    }

    private synchronized void record(String line) {
        seen.add(line + " thread=" + Thread.currentThread().getName().replace(' ', '_'));
    }

    synchronized List<String> seen() {
        return List.copyOf(seen);
    }
}
