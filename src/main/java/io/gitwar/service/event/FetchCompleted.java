package io.gitwar.service.event;

import io.gitwar.service.RepositoryName;
import java.time.Duration;

/**
 * A fetch was served: a smart upload-pack exchange that sent a pack (one per clone or fetch;
 * negotiation rounds without a pack and v2's {@code ls-refs} are not fetches), or a dumb client's
 * ref listing ({@code info/refs}), with which every dumb clone or fetch begins.
 *
 * @param repository the repository read
 * @param protocol how it was read
 * @param bytes the pack's bytes (JGit's count); 0 for a dumb listing, whose files are
 *        {@link DumbFileSent}
 * @param duration a smart fetch's time on the server from its admission (the caps, the heap wait, JGit's
 *        work, the pack written to the client); a dumb listing's time to make it
 */
public record FetchCompleted(RepositoryName repository, Protocol protocol, long bytes, Duration duration) {

    /** How a repository was read. */
    public enum Protocol {
        /** Smart, protocol v0 (or v1, the same exchange). */
        V0,
        /** Smart, protocol v2. */
        V2,
        /** The dumb protocol: files the client fetches one by one. */
        DUMB
    }
}
