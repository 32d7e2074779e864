package io.gitwar.storage.dfs;

import java.io.IOException;

/**
 * A received pack that {@link ParallelPackParser} leaves to JGit's own parser: one JGit refuses (it
 * then says why in its own words, which git users know), or one JGit completes in ways the parallel
 * parser does not (a thin pack's missing bases, objects the repository already has).
 */
final class NotForParallel extends IOException {

    private static final long serialVersionUID = 1L;

    NotForParallel(String why) {
        super(why);
    }

    /** A decision, not a failure: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
