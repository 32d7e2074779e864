package io.gitwar.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * An immutable, content-addressed file the dumb protocol serves (a pack, an index, a loose object):
 * its bytes never change, so it can be cached forever under its strong validator.
 */
public interface StoredResource extends AutoCloseable {

    /** The length in bytes; a generated resource may make its bytes to know it. */
    long length() throws IOException;

    /** When the bytes were stored. */
    Instant lastModified();

    /** A strong validator: the object id or the pack checksum, without quotes. */
    String validator();

    /** Streams {@code length} bytes from {@code offset}; valid while the request's lease is held. */
    InputStream open(long offset, long length) throws IOException;

    /** Releases what the resource holds besides the lease (a temporary file); idempotent. */
    @Override
    default void close() {
        // most resources are read straight from the request's snapshot
    }
}
