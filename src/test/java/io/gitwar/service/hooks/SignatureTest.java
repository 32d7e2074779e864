package io.gitwar.service.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature is GitHub's, checked against the example of GitHub's documentation. */
class SignatureTest {

    @Test
    void githubsDocumentedExample() {
        // docs.github.com, "Validating webhook deliveries": secret, payload and the header value
        assertEquals("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                Signature.sha256("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anotherSecretAnotherSignature() {
        assertEquals(false, Signature.sha256("It's a Secret to Everybody!", "Hello, World!".getBytes(StandardCharsets.UTF_8))
                .equals(Signature.sha256("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8))));
    }
}
