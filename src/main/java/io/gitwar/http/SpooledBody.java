package io.gitwar.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A request body read completely before it is processed: small ones in memory, larger ones in a
 * temporary file (memory stays bounded whatever the size). A push is spooled so that the repository
 * is not held locked while its bytes still trickle in from the network.
 */
final class SpooledBody implements AutoCloseable {

    /** Bodies up to this size stay in memory; git's own post buffer is 1 MiB. */
    static final int IN_MEMORY_LIMIT = 1 << 20;

    private byte[] memory;
    private Path file;

    private SpooledBody() {
    }

    /** Reads {@code in} to its end into a spool under {@code tempDir}. */
    static SpooledBody read(InputStream in, Path tempDir) throws IOException {
        SpooledBody body = new SpooledBody();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            head.write(buf, 0, n);
            if (head.size() > IN_MEMORY_LIMIT) {
                Files.createDirectories(tempDir);
                body.file = Files.createTempFile(tempDir, "push-", ".spool");
                try (OutputStream out = Files.newOutputStream(body.file, StandardOpenOption.WRITE)) {
                    head.writeTo(out);
                    head = null;
                    in.transferTo(out);
                } catch (IOException | RuntimeException e) {
                    body.close();
                    throw e;
                }
                return body;
            }
        }
        body.memory = head.toByteArray();
        return body;
    }

    InputStream open() throws IOException {
        return memory != null ? new ByteArrayInputStream(memory)
                : new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover spool file is removed at the next start
            }
            file = null;
        }
    }
}
