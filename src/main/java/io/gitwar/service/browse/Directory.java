package io.gitwar.service.browse;

import java.util.List;

/**
 * A directory's entries: directories first, then the rest, each by name; at most
 * {@link Browser#MAX_TREE_ENTRIES}.
 *
 * @param at where it is
 * @param entries the entries shown
 * @param total how many entries it has in all
 */
public record Directory(Location at, List<TreeEntry> entries, int total) {

    public Directory {
        entries = List.copyOf(entries);
    }
}
