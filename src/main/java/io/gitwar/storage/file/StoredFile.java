package io.gitwar.storage.file;

/** A file of a committed pack as stored: its row id and length in bytes. */
public record StoredFile(long id, long size) {
}
