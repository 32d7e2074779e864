package io.gitwar.service.admin;

import java.time.Instant;

/**
 * What the API tells of one repository.
 *
 * @param name the repository's name (without {@code .git})
 * @param defaultBranch the branch HEAD names ({@code main}), null if HEAD is detached
 * @param head the object id HEAD resolves to, null while that branch does not exist
 * @param sizeBytes bytes of its live packs: the Git data a clone reads from
 * @param refs refs that point at objects (branches, tags, others; not HEAD)
 * @param lastPushAt when a push last moved a ref, null if none did
 * @param readOnly whether pushes are refused
 * @param packs its live packs
 * @param objects objects in its live packs (an object stored in two packs counts twice)
 * @param fileBytes bytes its SQLite file and WAL take on disk
 * @param damaged whether its file is not a gitwar repository (then nothing else is told; the server's log says why)
 */
public record RepositoryFacts(String name, String defaultBranch, String head, long sizeBytes, long refs,
        Instant lastPushAt, boolean readOnly, int packs, long objects, long fileBytes, boolean damaged) {

    static RepositoryFacts damaged(String name) {
        return new RepositoryFacts(name, null, null, 0, 0, null, false, 0, 0, 0, true);
    }
}
