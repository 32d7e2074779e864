package io.gitwar.protocol.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gitwar.failure.GitwarException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the upload-pack request parser ({@link UploadRequest}), as protocol v0 and as v2, with
 * small bounds. Properties: only named failures ({@link GitwarException}: what the fetch service
 * answers with {@code ERR}) escape; what JGit reads is the request byte for byte; the bounds hold;
 * a {@code deepen-relative} request rewritten to an absolute depth is itself a valid request.
 * Seeds and findings: src/test/resources/io/gitwar/protocol/upload/UploadRequestFuzzTestInputs/.
 */
class UploadRequestFuzzTest {

    private static final UploadRequest.Bounds SMALL = new UploadRequest.Bounds(4096, 4, 4);

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"0000", "0001", "want ", "have ", "shallow ", "deepen ", "deepen-since ", "deepen-not ",
        "deepen-relative", "filter blob:none", "filter tree:", "done", "command=fetch", "command=ls-refs",
        "object-format=", "ref-prefix ", "0123456789abcdef0123456789abcdef01234567", "2147483647", "\\x0a"})
    void acceptedOrRefusedByName(byte[] body) throws IOException {
        check(body, false);
        check(body, true);
    }

    private static void check(byte[] body, boolean v2) throws IOException {
        UploadRequest request;
        try {
            request = UploadRequest.read(new ByteArrayInputStream(body), v2, SMALL);
        } catch (GitwarException refused) {
            return; // BadRequest or LimitExceeded: the fetch service answers ERR <reason>
        }
        assertArrayEquals(body, request.unchanged().readAllBytes(), "passed on byte for byte");
        assertTrue(body.length <= SMALL.maxBytes());
        assertTrue(request.wants().size() <= SMALL.maxWants() && request.haveCount() <= SMALL.maxHaves());
        assertTrue(request.clientShallows().size() <= SMALL.maxHaves());
        assertTrue(request.depth() >= 0);
        if (request.deepenRelative()) {
            byte[] rewritten = request.withAbsoluteDepth(7).readAllBytes();
            UploadRequest absolute = UploadRequest.read(new ByteArrayInputStream(rewritten), v2,
                    new UploadRequest.Bounds(SMALL.maxBytes() + 64, SMALL.maxWants(), SMALL.maxHaves()));
            assertFalse(absolute.deepenRelative(), "deepen-relative is gone");
            assertEquals(request.depth() == 0 ? 0 : 7, absolute.depth());
            assertEquals(request.wants(), absolute.wants());
        }
    }
}
