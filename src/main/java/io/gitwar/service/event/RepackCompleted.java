package io.gitwar.service.event;

import io.gitwar.service.RepositoryName;
import java.time.Duration;

/**
 * A background repack ended.
 *
 * @param repository the repository repacked
 * @param result how it ended
 * @param duration from its start (the wait for the repository's turn included) to its end
 */
public record RepackCompleted(RepositoryName repository, Result result, Duration duration) {

    /** How a repack ended. */
    public enum Result {
        /** Committed. */
        DONE,
        /** The repository's turn did not come in time; the next push schedules it again. */
        BUSY,
        /** It failed and changed nothing; pushes start no other for a while. */
        FAILED
    }
}
