package io.gitwar.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The operators' URLs ({@code /-/api/v1/}, and {@code /-/metrics} when it requires the token): who may
 * use them, and what the repository API's operations keep.
 *
 * @param token the bearer token they require ({@code gitwar.admin.token}, environment
 *        {@code GITWAR_ADMIN_TOKEN}); empty: the API is off and answers 404 to everything
 * @param trashRetention how long a deleted (or replaced) repository's file is kept in
 *        {@code DATA/.trash} before it is deleted ({@code gitwar.trash-retention-hours}; 0: deleted
 *        at once)
 * @param replaceWait how long a restore over an existing repository waits for the reads in
 *        progress on the old file to finish before it gives up with 503
 *        ({@code gitwar.restore.replace-wait-seconds})
 * @param maxRestoreBytes the largest backup a restore takes ({@code gitwar.restore.max-bytes};
 *        -1: no limit but the disk's free-space floor)
 */
public record AdminConfig(Optional<AdminToken> token, Duration trashRetention, Duration replaceWait,
        long maxRestoreBytes) {

    static AdminConfig from(Settings s) {
        return new AdminConfig(
                AdminToken.from(s),
                // a day to notice a mistaken delete, as JGit keeps unreachable objects for a day
                // (gitwar.repack.garbage-ttl-minutes); the disk it costs is one repository's file
                Duration.ofHours(s.get("gitwar.trash-retention-hours", Long.class, 24L)),
                // clones of large repositories take tens of seconds; a restore that cannot wait
                // longer is refused and changes nothing, and is simply asked again
                Duration.ofSeconds(s.get("gitwar.restore.replace-wait-seconds", Long.class, 60L)),
                // as git's receive.maxInputSize and gitwar.max-pack-bytes: unlimited by default; the
                // body is streamed to disk, never held in memory, and the free-space floor bounds it
                s.get("gitwar.restore.max-bytes", Long.class, -1L));
    }

    /** Whether the API is on (a token is configured). */
    public boolean enabled() {
        return token.isPresent();
    }
}
