package io.gitwar.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
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
 * @param readProtocol which read protocols are served ({@code gitwar.read-protocol}: {@code smart},
 *        the default, serves smart and dumb; {@code dumb} serves dumb only)
 * @param corsAllowedOrigins the browser origins that may read and push ({@code gitwar.cors.allowed-origins}):
 *        {@code ["*"]} (the default: gitwar needs no credentials) or a list such as
 *        {@code https://app.example.com}, lower case, without a trailing slash
 * @param corsExtraHeaders request headers browsers may send beyond the Git ones
 *        ({@code gitwar.cors.allowed-headers}), lower case
 * @param limits what one push may send and how long it may take ({@link Limits})
 * @param readOnly pushes are refused with 403 ({@code gitwar.read-only})
 */
public record GitwarConfig(
        Path dataDir,
        boolean autoCreate,
        boolean denyNonFastForwards,
        long blockCacheBytes,
        Duration pushQueueTimeout,
        Duration idleRelease,
        boolean sha1CollisionDetection,
        MaintenanceConfig maintenance,
        ReadProtocol readProtocol,
        List<String> corsAllowedOrigins,
        List<String> corsExtraHeaders,
        Limits limits,
        boolean readOnly) {

    public static final String DATA_DIR = "gitwar.data-dir";
    public static final String READ_PROTOCOL = "gitwar.read-protocol";
    public static final String CORS_ALLOWED_ORIGINS = "gitwar.cors.allowed-origins";
    public static final String CORS_ALLOWED_HEADERS = "gitwar.cors.allowed-headers";
    /** Any origin. */
    public static final String ANY_ORIGIN = "*";

    /** What {@code gitwar.read-protocol} selects. */
    public enum ReadProtocol {
        /** Smart upload-pack (v0, v1, v2) and the dumb files. */
        SMART,
        /** The dumb files only: upload-pack is refused, its advertisement answers the dumb listing. */
        DUMB
    }

    /** {@code scheme://host[:port]}, as browsers send it in {@code Origin}. */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s]+");
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");

    public GitwarConfig {
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        corsExtraHeaders = List.copyOf(corsExtraHeaders);
    }

    /** Whether smart upload-pack is served. */
    public boolean smartReads() {
        return readProtocol == ReadProtocol.SMART;
    }

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
                MaintenanceConfig.from(c),
                readProtocol(c.getOptionalValue(READ_PROTOCOL, String.class).orElse("smart")),
                origins(c.getOptionalValues(CORS_ALLOWED_ORIGINS, String.class).orElse(List.of(ANY_ORIGIN))),
                headers(c.getOptionalValues(CORS_ALLOWED_HEADERS, String.class).orElse(List.of())),
                Limits.from(c),
                c.getOptionalValue("gitwar.read-only", Boolean.class).orElse(false));
    }

    static ReadProtocol readProtocol(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "smart" -> ReadProtocol.SMART;
            case "dumb" -> ReadProtocol.DUMB;
            default -> throw new IllegalArgumentException(READ_PROTOCOL + " is '" + value + "': use smart or dumb");
        };
    }

    /** {@code *} anywhere in the list means any origin; anything else must be an origin. */
    static List<String> origins(List<String> values) {
        List<String> origins = values.stream().map(String::trim).filter(v -> !v.isEmpty())
                .map(v -> v.toLowerCase(Locale.ROOT)).map(v -> v.endsWith("/") ? v.substring(0, v.length() - 1) : v)
                .distinct().toList();
        if (origins.isEmpty() || origins.contains(ANY_ORIGIN)) {
            return List.of(ANY_ORIGIN);
        }
        for (String o : origins) {
            if (!ORIGIN.matcher(o).matches()) {
                throw new IllegalArgumentException(CORS_ALLOWED_ORIGINS + ": '" + o
                        + "' is not an origin like https://git.example.com or http://127.0.0.1:8000");
            }
        }
        return origins;
    }

    static List<String> headers(List<String> values) {
        List<String> headers = values.stream().map(String::trim).filter(v -> !v.isEmpty())
                .map(v -> v.toLowerCase(Locale.ROOT)).distinct().toList();
        for (String h : headers) {
            if (!HEADER.matcher(h).matches()) {
                throw new IllegalArgumentException(CORS_ALLOWED_HEADERS + ": '" + h + "' is not a header name");
            }
        }
        return headers;
    }

    /**
     * The bounds on one push. Exceeding one refuses the push whole (nothing is stored) with a reason
     * git prints; -1 means unlimited where allowed.
     *
     * @param maxPackBytes pack bytes per push ({@code gitwar.max-pack-bytes})
     * @param maxObjectBytes inflated size of one object ({@code gitwar.max-object-bytes})
     * @param maxObjects objects in one pack ({@code gitwar.max-objects-per-push})
     * @param maxRefUpdates ref updates (commands) in one push ({@code gitwar.max-ref-updates})
     * @param maxQueuedPushes pushes that may wait for one repository's writer
     *        ({@code gitwar.max-queued-pushes}); more are refused as busy
     * @param requestReadTimeout how long a request body may stall before it is abandoned
     *        ({@code gitwar.request-read-timeout-seconds})
     */
    public record Limits(
            long maxPackBytes,
            long maxObjectBytes,
            long maxObjects,
            int maxRefUpdates,
            int maxQueuedPushes,
            Duration requestReadTimeout) {

        static Limits from(Config c) {
            return new Limits(
                    // git's receive.maxInputSize: unlimited by default; the pack is streamed to
                    // storage, never held in memory, so its size costs disk, not heap
                    c.getOptionalValue("gitwar.max-pack-bytes", Long.class).orElse(-1L),
                    // 2 GiB: a Java array's limit, and JGit resolves deltas into arrays
                    // (ReceivePack.setMaxObjectSizeLimit); larger objects could not be read anyway
                    c.getOptionalValue("gitwar.max-object-bytes", Long.class).orElse(2L << 30),
                    // JGit sizes an array by the pack header's count before reading any object
                    // (4-8 bytes per declared object); 10 million is about the Linux kernel's
                    // whole history, 40-80 MiB of heap for the array
                    c.getOptionalValue("gitwar.max-objects-per-push", Long.class).orElse(10_000_000L),
                    // the report (a line per ref) is held in memory until the commit (OutputGate);
                    // 20 000 is far above any normal push and fits JGit's receive.maxCommandBytes
                    // (3 MiB of command lines)
                    c.getOptionalValue("gitwar.max-ref-updates", Integer.class).orElse(20_000),
                    // each waiting push holds one request thread (WildFly's default pool: 16 per
                    // core); 16 lets a busy repository queue without starving the others
                    c.getOptionalValue("gitwar.max-queued-pushes", Integer.class).orElse(16),
                    // nginx's client_body_timeout: 60 s without a byte from the client
                    Duration.ofSeconds(c.getOptionalValue("gitwar.request-read-timeout-seconds", Long.class)
                            .orElse(60L)));
        }

        /** The largest request body a push may have: its pack plus the command list. */
        public long maxBodyBytes() {
            return maxPackBytes < 0 ? -1 : maxPackBytes + PushRequest.MAX_COMMAND_BYTES;
        }
    }
}
