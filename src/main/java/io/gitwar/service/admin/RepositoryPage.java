package io.gitwar.service.admin;

import java.util.List;

/**
 * One page of a listing, sorted by name.
 *
 * @param repositories the page
 * @param nextCursor the cursor of the next page (the last name of this one), null if this is the last
 */
public record RepositoryPage(List<RepositoryFacts> repositories, String nextCursor) {

    public RepositoryPage {
        repositories = List.copyOf(repositories);
    }
}
