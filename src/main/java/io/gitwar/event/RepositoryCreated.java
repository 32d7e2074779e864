package io.gitwar.event;

import java.time.Instant;

/**
 * A repository came into existence and was committed: created through the API, by the first push
 * to its name, as a fork, or restored from a backup under a new name. For a first push it comes
 * before that push's {@link PushReceived}.
 *
 * @param repository its name, e.g. {@code team/app}
 * @param time when it was committed
 */
public record RepositoryCreated(String repository, Instant time) {
}
