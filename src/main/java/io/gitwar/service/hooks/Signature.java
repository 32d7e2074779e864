package io.gitwar.service.hooks;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature, {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>},
 * keyed with the hook's secret (its UTF-8 bytes), so that receivers written for GitHub verify
 * gitwar's deliveries unchanged.
 */
public final class Signature {

    private Signature() {
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} with {@code secret}. */
    public static String sha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from the JDK", e);
        }
    }
}
