package io.gitwar.service;

import java.time.Instant;

/**
 * An operator changed a repository through the API, not by a push: its settings (default branch,
 * read-only) or its webhooks. Fired synchronously once the change is committed, so that observers
 * (the replicas' copies) are done when the API answers. gitwar's own, fired with CDI's {@code Event}
 * (not one of the public events of {@code io.gitwar.event}).
 *
 * @param repository its name
 * @param time when the change was committed
 */
public record RepositoryChanged(String repository, Instant time) {
}
