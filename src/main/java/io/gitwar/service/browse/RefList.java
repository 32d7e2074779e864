package io.gitwar.service.browse;

import java.util.List;

/**
 * Branches or tags, sorted by name, at most {@link Browser#MAX_REFS} of them.
 *
 * @param shown the first ones by name
 * @param total how many there are in all ({@code total - shown.size()} more are not shown)
 */
public record RefList(List<RefSummary> shown, int total) {

    public RefList {
        shown = List.copyOf(shown);
    }
}
