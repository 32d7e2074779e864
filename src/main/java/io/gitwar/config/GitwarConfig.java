package io.gitwar.config;

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
 * @param writeTimeout the JTA timeout of one write (a push or a repack); a push still running then is
 *        rolled back ({@code gitwar.write-timeout-seconds})
 * @param sha1CollisionDetection whether object ids are hashed with SHA-1 collision detection, as git's
 *        sha1dc does ({@code gitwar.sha1-collision-detection}); off roughly halves push CPU
 * @param repack repacking and loose-object serving ({@code gitwar.repack.*}, {@code gitwar.receive.unpack-limit})
 * @param readProtocol which read protocols are served ({@code gitwar.read-protocol}: {@code smart},
 *        the default, serves smart and dumb; {@code dumb} serves dumb only)
 * @param webPages whether browsers ({@code Accept: text/html}) get read-only pages for repositories and
 *        the listing ({@code gitwar.web-pages}, default {@code true}); Git clients never get them
 * @param corsAllowedOrigins the browser origins that may read and push ({@code gitwar.cors.allowed-origins}):
 *        {@code ["*"]} (the default: gitwar needs no credentials) or a list such as
 *        {@code https://app.example.com}, lower case, without a trailing slash
 * @param corsExtraHeaders request headers browsers may send beyond the Git ones
 *        ({@code gitwar.cors.allowed-headers}), lower case
 * @param limits what one push may send and how long it may take ({@link Limits})
 * @param clients what one request and one client may hold of the server, and for how long ({@link ClientLimits})
 * @param readOnly pushes are refused with 403 ({@code gitwar.read-only})
 * @param fetchLimits what one fetch request may hold ({@link FetchLimits})
 * @param admin the operators' token and what the repository API's operations keep ({@link AdminConfig})
 * @param monitoring the metrics' access and the readiness bounds ({@link Monitoring})
 * @param hooks webhooks: where they may point, timeouts, retries, bounds ({@link HooksConfig})
 */
public record GitwarConfig(
        Path dataDir,
        boolean autoCreate,
        boolean denyNonFastForwards,
        long blockCacheBytes,
        Duration pushQueueTimeout,
        Duration idleRelease,
        Duration writeTimeout,
        boolean sha1CollisionDetection,
        RepackConfig repack,
        ReadProtocol readProtocol,
        boolean webPages,
        List<String> corsAllowedOrigins,
        List<String> corsExtraHeaders,
        Limits limits,
        ClientLimits clients,
        boolean readOnly,
        FetchLimits fetchLimits,
        AdminConfig admin,
        Monitoring monitoring,
        HooksConfig hooks) {

    public static final String DATA_DIR = "gitwar.data-dir";
    public static final String READ_PROTOCOL = "gitwar.read-protocol";
    public static final String WEB_PAGES = "gitwar.web-pages";
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

    /**
     * Where request bodies too large for memory wait to be processed, and backups are written before
     * they are sent; emptied at startup.
     */
    public Path spoolDir() {
        return dataDir.resolve(".spool"); // no repository name starts with a dot
    }

    /** Reads the settings, with defaults for any that are absent. */
    public static GitwarConfig from(Config config) {
        Settings s = new Settings(config);
        // 64 MiB holds the hot part of a few busy repositories and fits a 256 MiB heap
        long blockCacheBytes = s.get("gitwar.block-cache-mib", Long.class, 64L) << 20;
        return new GitwarConfig(
                s.string(DATA_DIR).map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".gitwar", "repositories")),
                s.get("gitwar.auto-create", Boolean.class, true),
                s.get("gitwar.deny-non-fast-forwards", Boolean.class, false),
                blockCacheBytes,
                Duration.ofSeconds(s.get("gitwar.push-queue-timeout-seconds", Long.class, 120L)),
                Duration.ofSeconds(s.get("gitwar.idle-release-seconds", Long.class, 60L)),
                // a 1 GiB push takes about 30 s here; an hour leaves room for slow disks and clients
                Duration.ofSeconds(s.get("gitwar.write-timeout-seconds", Long.class, 3600L)),
                s.get("gitwar.sha1-collision-detection", Boolean.class, true),
                RepackConfig.from(s),
                readProtocol(s.string(READ_PROTOCOL).orElse("smart")),
                s.get(WEB_PAGES, Boolean.class, true),
                origins(s.list(CORS_ALLOWED_ORIGINS, List.of(ANY_ORIGIN))),
                headers(s.list(CORS_ALLOWED_HEADERS, List.of())),
                Limits.from(s),
                ClientLimits.from(s, blockCacheBytes),
                s.get("gitwar.read-only", Boolean.class, false),
                FetchLimits.from(s),
                AdminConfig.from(s),
                Monitoring.from(s),
                HooksConfig.from(s));
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
}
