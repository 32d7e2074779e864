package io.gitwar.service;

import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * Every setting of gitwar, read once from MicroProfile Config (system properties, environment
 * variables such as {@code GITWAR_DATA_DIR}, {@code META-INF/microprofile-config.properties}).
 *
 * @param dataDir where repository files live ({@code gitwar.data-dir}); by default
 *        {@code ~/.gitwar/repositories}, outside any build directory
 * @param autoCreate whether a push to a missing repository creates it ({@code gitwar.auto-create})
 * @param denyNonFastForwards git's {@code receive.denyNonFastForwards} ({@code gitwar.deny-non-fast-forwards})
 * @param blockCacheBytes heap for JGit's block cache, shared by all repositories ({@code gitwar.block-cache-mib})
 * @param pushQueueTimeout how long a push waits for the repository's writer before giving up
 *        ({@code gitwar.push-queue-timeout-seconds})
 * @param idleRelease how long an unused repository keeps its open connections
 *        ({@code gitwar.idle-release-seconds})
 * @param sha1CollisionDetection whether object ids are hashed with SHA-1 collision detection, as git's
 *        sha1dc does ({@code gitwar.sha1-collision-detection}); off roughly halves push CPU
 * @param maintenance repacking and loose-object serving ({@code gitwar.gc.*}, {@code gitwar.receive.unpack-limit})
 */
public record GitwarConfig(
        Path dataDir,
        boolean autoCreate,
        boolean denyNonFastForwards,
        long blockCacheBytes,
        Duration pushQueueTimeout,
        Duration idleRelease,
        boolean sha1CollisionDetection,
        MaintenanceConfig maintenance) {

    public static final String DATA_DIR = "gitwar.data-dir";

    /** Where request bodies too large for memory wait to be processed; emptied at startup. */
    public Path spoolDir() {
        return dataDir.resolve(".spool"); // no repository name starts with a dot
    }

    /** Reads the settings, with defaults for any that are absent. */
    public static GitwarConfig from(Config c) {
        return new GitwarConfig(
                c.getOptionalValue(DATA_DIR, String.class).map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".gitwar", "repositories")),
                c.getOptionalValue("gitwar.auto-create", Boolean.class).orElse(true),
                c.getOptionalValue("gitwar.deny-non-fast-forwards", Boolean.class).orElse(false),
                // 64 MiB holds the hot part of a few busy repositories and fits a 256 MiB heap
                c.getOptionalValue("gitwar.block-cache-mib", Long.class).orElse(64L) << 20,
                Duration.ofSeconds(c.getOptionalValue("gitwar.push-queue-timeout-seconds", Long.class).orElse(120L)),
                Duration.ofSeconds(c.getOptionalValue("gitwar.idle-release-seconds", Long.class).orElse(60L)),
                c.getOptionalValue("gitwar.sha1-collision-detection", Boolean.class).orElse(true),
                MaintenanceConfig.from(c));
    }
}
