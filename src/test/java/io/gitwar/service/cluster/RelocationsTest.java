package io.gitwar.service.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The digest a moved copy is checked by: RFC 9530's field, SHA-256 only. */
class RelocationsTest {

    @Test
    void aSha256DigestIsReadFromTheFieldAndAnythingElseIsNone() throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest("copy".getBytes(StandardCharsets.UTF_8));
        String b64 = Base64.getEncoder().encodeToString(sha);
        assertArrayEquals(sha, Relocations.parseDigest("sha-256=:" + b64 + ":"));
        assertArrayEquals(sha, Relocations.parseDigest("sha-512=:AAAA:, sha-256=:" + b64 + ":"));
        assertNull(Relocations.parseDigest(null));
        assertNull(Relocations.parseDigest("sha-512=:" + b64 + ":"));
        assertNull(Relocations.parseDigest("sha-256=:AAAA:")); // not 32 bytes
        assertNull(Relocations.parseDigest("sha-256=:!!!:"));
    }
}
