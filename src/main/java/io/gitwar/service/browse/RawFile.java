package io.gitwar.service.browse;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * A file's bytes, to be streamed to a client: never held whole (JGit streams a large blob from its
 * pack). Valid while the request's lease is held; the caller closes it, which closes its reader.
 */
public final class RawFile implements AutoCloseable {

    private final ObjectReader reader;
    private final ObjectId id;
    private final long size;
    private final String name;

    RawFile(ObjectReader reader, ObjectId id, long size, String name) {
        this.reader = reader;
        this.id = id;
        this.size = size;
        this.name = name;
    }

    /** The blob's object id: its bytes never change under it. */
    public String id() {
        return id.name();
    }

    public long size() {
        return size;
    }

    /** The file's name (the last segment of its path). */
    public String name() {
        return name;
    }

    /** The bytes, streamed. */
    public InputStream open() throws IOException {
        return reader.open(id, Constants.OBJ_BLOB).openStream();
    }

    @Override
    public void close() {
        reader.close();
    }
}
