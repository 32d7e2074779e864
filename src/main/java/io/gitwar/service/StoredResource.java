package io.gitwar.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * An immutable, content-addressed file the dumb protocol serves (a pack, an index, a loose object):
 * its bytes never change, so it can be cached forever under its strong validator.
 */
public interface StoredResource {

    long length();

    /** When the bytes were stored. */
    Instant lastModified();

    /** A strong validator: the object id or the pack checksum, without quotes. */
    String validator();

    /** Streams {@code length} bytes from {@code offset}; valid while its view is open. */
    InputStream open(long offset, long length) throws IOException;
}
