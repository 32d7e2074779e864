package io.gitwar.service.browse;

/**
 * One entry of a directory.
 *
 * @param name its name in the directory (any bytes git allows, decoded as UTF-8)
 * @param path its path from the root
 * @param kind what it is
 * @param size a file's size in bytes; -1 for anything else
 */
public record TreeEntry(String name, String path, Kind kind, long size) {

    /** The kinds of tree entries, in the order a listing shows them. */
    public enum Kind {
        DIRECTORY, FILE, SYMLINK, SUBMODULE
    }
}
