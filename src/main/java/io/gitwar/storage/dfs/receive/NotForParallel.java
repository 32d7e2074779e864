package io.gitwar.storage.dfs.receive;

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

    /**
     * Throws what a helper thread of the parse failed with: an I/O failure (a refusal to go parallel
     * among them) or an error as is, anything else (a delta JGit's applier could not apply) as a
     * reason to leave the pack to JGit. Nothing if {@code failure} is null.
     */
    static void rethrow(Throwable failure) throws IOException {
        if (failure instanceof IOException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        } else if (failure != null) {
            throw new NotForParallel(failure.toString());
        }
    }

    /** Waits for {@code threads} to end, even if interrupted meanwhile; whether it was. */
    static boolean join(Thread... threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }

    /** A decision, not a failure: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
