package io.gitwar.service.event;

import io.gitwar.service.RepositoryName;

/**
 * A smart fetch was refused because the server serves enough at once (answered 429 with
 * {@code Retry-After}): its request, or already its upload-pack advertisement while the cap was
 * reached.
 *
 * @param repository the repository asked for
 * @param reason which bound refused it
 */
public record FetchRefused(RepositoryName repository, Reason reason) {

    /** The bound a refused fetch met. */
    public enum Reason {
        /** {@code gitwar.max-concurrent-fetches-per-repository}: the repository is busy. */
        REPOSITORY_CAP,
        /** {@code gitwar.max-concurrent-fetches}: the server is busy. */
        SERVER_CAP,
        /** The heap for expensive requests did not come free in time ({@code gitwar.admission-heap-mib}). */
        HEAP
    }
}
