package io.gitwar.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The operator's secret ({@code gitwar.admin.token}, or the environment variable
 * {@code GITWAR_ADMIN_TOKEN}): what a client presents as {@code Authorization: Bearer <token>} to
 * reach gitwar's operator URLs. Only its SHA-256 digest is kept, and a presented token is compared
 * by digest in constant time ({@link MessageDigest#isEqual}), so neither the comparison's time nor
 * its length tells a guesser anything. Immutable, thread-safe; never printed.
 */
public final class AdminToken {

    public static final String KEY = "gitwar.admin.token";

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** The configured token; empty when the key is absent or blank (the operator URLs are then off). */
    static Optional<AdminToken> from(Settings s) {
        return s.string(KEY).map(String::trim).filter(t -> !t.isEmpty()).map(t -> new AdminToken(sha256(t)));
    }

    /** Whether {@code presented} is the token; false for null. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
