package io.gitwar.api;

import io.gitwar.service.admin.RepositoryFacts;
import java.time.Instant;
import java.util.List;

/**
 * The API's JSON documents, as records ({@link JsonConfig} spells their components in snake_case).
 * Request documents may leave out any key (null); unknown keys are ignored.
 */
public final class Json {

    private Json() {
    }

    /** A repository in a listing. */
    public record Summary(String name, String defaultBranch, long sizeBytes, long refs, Instant lastPushAt,
            boolean readOnly, Boolean damaged) {

        static Summary of(RepositoryFacts f) {
            return new Summary(f.name(), f.defaultBranch(), f.sizeBytes(), f.refs(), f.lastPushAt(), f.readOnly(),
                    f.damaged() ? Boolean.TRUE : null);
        }
    }

    /** One repository: its summary's keys and more. */
    public record Details(String name, String defaultBranch, long sizeBytes, long refs, Instant lastPushAt,
            boolean readOnly, String head, int packs, long objects, long fileBytes) {

        static Details of(RepositoryFacts f) {
            return new Details(f.name(), f.defaultBranch(), f.sizeBytes(), f.refs(), f.lastPushAt(), f.readOnly(),
                    f.head(), f.packs(), f.objects(), f.fileBytes());
        }
    }

    /** A page of a listing; {@code next_cursor} null on the last page. */
    public record Page(List<Summary> repositories, String nextCursor) {
    }

    /** {@code POST repos}. */
    public record NewRepository(String name, String defaultBranch) {
    }

    /** {@code PATCH repos/NAME.git}: the keys present are changed. */
    public record Changes(String defaultBranch, Boolean readOnly, String name) {
    }

    /** {@code POST repos/NAME.git/fork}. */
    public record Fork(String name) {
    }

    /** What {@code POST repos/NAME.git/repack} started. */
    public record Accepted(String status) {
    }

    /** {@code POST repos/NAME.git/fsck}: {@code ok} when nothing was found wrong. */
    public record FsckReport(boolean ok, long problems, List<String> brokenRefs, List<String> missingObjects,
            List<String> corruptObjects, List<String> corruptIndices, List<String> nonCommitHeads,
            List<String> unreadable) {
    }
}
