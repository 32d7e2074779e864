package io.gitwar.service.event;

import io.gitwar.service.RepositoryName;

/**
 * A file of the dumb protocol (a pack, an index, a loose object) was sent, whole or a range of it.
 *
 * @param repository the repository read
 * @param bytes what was read of the file for the client (a 304 reads nothing and fires nothing)
 */
public record DumbFileSent(RepositoryName repository, long bytes) {
}
