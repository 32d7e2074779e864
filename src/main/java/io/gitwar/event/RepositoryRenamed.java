package io.gitwar.event;

import java.time.Instant;

/**
 * A repository was renamed: {@code from} no longer exists, {@code to} holds its refs, hooks and
 * owed deliveries.
 *
 * @param from its former name
 * @param to its name now
 * @param time when the rename was done
 */
public record RepositoryRenamed(String from, String to, Instant time) {
}
