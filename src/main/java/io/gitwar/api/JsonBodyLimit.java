package io.gitwar.api;

import io.gitwar.failure.LimitExceeded;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * JSON request bodies are read whole into objects, so they are bounded: the API's JSON bodies are a
 * few names and flags, far below {@value #MAX_BYTES} bytes; a longer one is refused (413). Backups
 * are streamed to disk and bounded elsewhere.
 */
@Provider
public class JsonBodyLimit implements ReaderInterceptor {

    static final int MAX_BYTES = 64 * 1024;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (MediaType.APPLICATION_JSON_TYPE.isCompatible(context.getMediaType())) {
            context.setInputStream(new Bounded(context.getInputStream()));
        }
        return context.proceed();
    }

    private static final class Bounded extends FilterInputStream {
        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(0, n));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BYTES) {
                throw new LimitExceeded("JSON body longer than " + MAX_BYTES + " bytes");
            }
        }
    }
}
