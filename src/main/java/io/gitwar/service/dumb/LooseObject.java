package io.gitwar.service.dumb;

import io.gitwar.protocol.dumb.LooseEncoding;
import io.gitwar.service.PackRoles;
import io.gitwar.service.StoredResource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;

/**
 * An object on the dumb protocol's loose route, in git's loose encoding ({@link LooseEncoding}).
 *
 * <p>Its validators (the object id, when it arrived) are known without reading the object, so a
 * 304 or a 412 costs nothing more. The encoding is made in memory at the first call for its length
 * or its bytes (a length is needed before the first byte is sent: Content-Length, Content-Range);
 * objects on this route are at most {@link PackRoles#LOOSE_OBJECT_MAX}. Confined to the request's
 * thread.
 */
final class LooseObject implements StoredResource {

    /** Opens the object, when it is to be encoded. */
    @FunctionalInterface
    interface Source {
        ObjectLoader open() throws IOException;
    }

    private final ObjectId id;
    private final Instant lastModified;
    private final Source source;
    private byte[] encoded;

    LooseObject(ObjectId id, Instant lastModified, Source source) {
        this.id = id;
        this.lastModified = lastModified;
        this.source = source;
    }

    private byte[] encoded() throws IOException {
        if (encoded == null) {
            ObjectLoader loader = source.open();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(loader.getSize() / 2 + 64,
                    PackRoles.LOOSE_OBJECT_MAX));
            try (InputStream content = loader.openStream()) {
                LooseEncoding.write(loader.getType(), loader.getSize(), content, bytes);
            }
            encoded = bytes.toByteArray();
        }
        return encoded;
    }

    @Override
    public long length() throws IOException {
        return encoded().length;
    }

    @Override
    public Instant lastModified() {
        return lastModified;
    }

    @Override
    public String validator() {
        return id.name();
    }

    @Override
    public InputStream open(long offset, long count) throws IOException {
        return new ByteArrayInputStream(encoded(), (int) offset, (int) count);
    }
}
