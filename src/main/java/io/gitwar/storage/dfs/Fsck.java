package io.gitwar.storage.dfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.fsck.FsckError;
import org.eclipse.jgit.internal.storage.dfs.DfsFsck;
import org.eclipse.jgit.internal.storage.dfs.DfsRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * JGit's fsck of a DFS repository ({@link DfsFsck}): every pack parsed and checked against its
 * checksum and index, every object checked as {@code git fsck} does, and every object reachable from
 * the refs present. Before that, every ref's own object is looked up, so that a repository whose refs
 * point nowhere is reported as such even where JGit's walk would stop early.
 */
public final class Fsck {

    /** At most this many problems of each kind are listed; the counts are always whole. */
    static final int MAX_LISTED = 1000;

    /**
     * What was found wrong, each entry one line; all lists empty for a sound repository.
     *
     * @param corruptObjects {@code <id> <type> <check that failed>}
     * @param missingObjects ids of objects that something reachable refers to but that are not stored
     * @param corruptIndices {@code <pack file> <problem>}
     * @param nonCommitHeads branches ({@code refs/heads/*}) that point at something other than a commit
     * @param brokenRefs refs whose object is not stored: {@code <ref> <id>}
     * @param unreadable what JGit could not read at all, which ended its check early (a pack whose
     *        bytes are damaged so that they cannot be parsed): the other lists may then be incomplete
     * @param problems how many problems there are in all (the lists stop at {@value #MAX_LISTED} each)
     */
    public record Report(List<String> corruptObjects, List<String> missingObjects, List<String> corruptIndices,
            List<String> nonCommitHeads, List<String> brokenRefs, List<String> unreadable, long problems) {

        public boolean sound() {
            return problems == 0;
        }
    }

    private Fsck() {
    }

    /** Checks the whole repository; reads every pack once. */
    public static Report check(DfsRepository repository) throws IOException {
        List<String> brokenRefs;
        FsckError e;
        try {
            brokenRefs = brokenRefs(repository);
            e = new DfsFsck(repository).check(NullProgressMonitor.INSTANCE);
        } catch (IOException | RuntimeException unreadable) {
            // JGit stops at the first pack or index it cannot parse; that is the finding
            return new Report(List.of(), List.of(), List.of(), List.of(), List.of(),
                    List.of(String.valueOf(unreadable.getMessage())), 1);
        }
        List<String> corrupt = first(e.getCorruptObjects().stream().map(o -> o.getId().name() + " "
                + typeName(o.getType()) + " " + o.getErrorType().getMessageId()));
        List<String> missing = first(e.getMissingObjects().stream().map(ObjectId::name));
        List<String> indices = first(e.getCorruptIndices().stream().map(i -> i.getFileName() + " " + i.getErrorType()));
        List<String> heads = first(e.getNonCommitHeads().stream());
        long problems = count(e.getCorruptObjects()) + count(e.getMissingObjects()) + count(e.getCorruptIndices())
                + count(e.getNonCommitHeads()) + brokenRefs.size();
        return new Report(corrupt, missing, indices, heads, brokenRefs, List.of(), problems);
    }

    private static List<String> brokenRefs(DfsRepository repository) throws IOException {
        List<String> broken = new ArrayList<>();
        for (Ref r : repository.getRefDatabase().getRefs()) {
            if (!r.isSymbolic() && r.getObjectId() != null && !repository.getObjectDatabase().has(r.getObjectId())) {
                broken.add(r.getName() + " " + r.getObjectId().name());
            }
        }
        return broken;
    }

    private static String typeName(int type) {
        try {
            return Constants.typeString(type);
        } catch (IllegalArgumentException unknown) {
            return "type-" + type;
        }
    }

    private static List<String> first(Stream<String> lines) {
        return lines.sorted().limit(MAX_LISTED).toList();
    }

    private static long count(Set<?> s) {
        return s.size();
    }
}
