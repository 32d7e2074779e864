package io.gitwar.event;

import java.time.Instant;

/**
 * A repository was deleted (its file moved to the trash). Deliveries its outbox still owed are
 * not made.
 *
 * @param repository its name
 * @param time when it was deleted
 */
public record RepositoryDeleted(String repository, Instant time) {
}
