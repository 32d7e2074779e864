package io.gitwar.protocol.dumb;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.eclipse.jgit.lib.Constants;

/**
 * git's loose object encoding, the bytes git writes to {@code objects/xx/yyyy}: zlib of
 * {@code "<type> <size>\0<content>"} at git's {@code core.looseCompression} level (1, best speed).
 */
public final class LooseEncoding {

    /** git's default {@code core.looseCompression}: zlib's best speed. */
    public static final int GIT_LOOSE_COMPRESSION = Deflater.BEST_SPEED;

    private LooseEncoding() {
    }

    /**
     * Writes the encoding of an object of {@code type} and {@code size} whose content
     * {@code content} streams, to {@code sink} (left open).
     */
    public static void write(int type, long size, InputStream content, OutputStream sink) throws IOException {
        byte[] header = (Constants.typeString(type) + " " + size + "\0").getBytes(StandardCharsets.US_ASCII);
        Deflater deflater = new Deflater(GIT_LOOSE_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(new NonClosing(sink), deflater, 64 * 1024)) {
            z.write(header);
            content.transferTo(z);
        } finally {
            deflater.end();
        }
    }

    /** Lets DeflaterOutputStream finish without closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
