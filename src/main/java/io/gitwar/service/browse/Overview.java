package io.gitwar.service.browse;

import java.util.List;

/**
 * What a repository's page shows of its Git data, all from one snapshot.
 *
 * @param defaultBranch the branch HEAD names ({@code main}); null if HEAD is detached or missing
 * @param branches the branches
 * @param tags the tags
 * @param commits the latest commits of the default branch, newest first, at most {@link Browser#MAX_COMMITS};
 *        empty while the branch does not exist
 * @param root the default branch's root directory; null while the branch does not exist
 * @param readme the root's README, or null
 */
public record Overview(String defaultBranch, RefList branches, RefList tags, List<CommitSummary> commits,
        Directory root, Readme readme) {

    public Overview {
        commits = List.copyOf(commits);
    }
}
