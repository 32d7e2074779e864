package io.gitwar.service.admin;

import io.gitwar.storage.dfs.Fsck;
import java.util.List;

/**
 * What JGit's fsck found wrong with a repository, one line per problem (each list at most the first
 * thousand; {@code problems} counts them all).
 */
public record FsckResult(long problems, List<String> brokenRefs, List<String> missingObjects,
        List<String> corruptObjects, List<String> corruptIndices, List<String> nonCommitHeads,
        List<String> unreadable) {

    static FsckResult of(Fsck.Report r) {
        return new FsckResult(r.problems(), r.brokenRefs(), r.missingObjects(), r.corruptObjects(), r.corruptIndices(),
                r.nonCommitHeads(), r.unreadable());
    }

    public boolean sound() {
        return problems == 0;
    }
}
