package io.gitwar.service.hooks;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * The body of a push delivery, in the shape of GitHub's (and Gitea's) push event, which CI systems
 * already parse: one per ref pushed. {@code commits} are those reachable from {@code after} and
 * not from {@code before} (for a new ref: not from any ref the repository had before the push),
 * oldest first, at most {@link #MAX_COMMITS} (the newest ones; {@code total_commits} counts all,
 * up to {@link #MAX_WALK}); messages are cut at {@link #MAX_MESSAGE} characters. GitHub's
 * {@code added}/{@code removed}/{@code modified} file lists and {@code compare} are left out.
 */
public final class PushPayload {

    /** Commits listed per delivery: GitHub's push event lists at most 20 in its events API. */
    public static final int MAX_COMMITS = 20;
    /** Commits counted for {@code total_commits}: bounds the walk of a push of a whole history. */
    public static final int MAX_WALK = 10_000;
    /** Characters of a commit message kept: bounds a payload to about 21 of these. */
    public static final int MAX_MESSAGE = 4096;

    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    /** What a payload says about the repository. */
    public record Repo(String name, String cloneUrl, String defaultBranch) {
    }

    private PushPayload() {
    }

    /**
     * The payload of {@code command}, read from {@code repository} as it is after the push.
     *
     * @param refsBefore the ids of the repository's refs before the push (by name), peeled or not
     * @param pusher who pushed (gitwar has no users: the client's address)
     */
    public static String of(Repository repository, Repo repo, ReceiveCommand command, Collection<ObjectId> refsBefore,
            String pusher) throws IOException {
        ObjectId before = command.getOldId();
        ObjectId after = command.getNewId();
        boolean created = before.equals(ObjectId.zeroId());
        boolean deleted = after.equals(ObjectId.zeroId());
        JsonArrayBuilder commits = JSON.createArrayBuilder();
        JsonObject head = null;
        int total = 0;
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit tip = deleted ? null : commitOf(walk, after);
            if (tip != null) {
                walk.markStart(tip);
                if (created) {
                    for (ObjectId id : refsBefore) {
                        RevCommit c = commitOf(walk, id);
                        if (c != null) {
                            walk.markUninteresting(c);
                        }
                    }
                } else {
                    RevCommit old = commitOf(walk, before);
                    if (old != null) {
                        walk.markUninteresting(old);
                    }
                }
                Deque<RevCommit> newest = new ArrayDeque<>();
                for (RevCommit c : walk) {
                    if (newest.size() < MAX_COMMITS) {
                        newest.addLast(c);
                    }
                    if (++total >= MAX_WALK) {
                        break;
                    }
                }
                while (!newest.isEmpty()) {
                    commits.add(commit(newest.pollLast(), true));
                }
                head = commit(tip, total > 0).build(); // distinct: new with this push
            }
        }
        String name = repo.name();
        JsonObjectBuilder b = JSON.createObjectBuilder()
                .add("ref", command.getRefName())
                .add("before", before.name())
                .add("after", after.name())
                .add("created", created)
                .add("deleted", deleted)
                .add("forced", command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD)
                .addNull("base_ref")
                .add("commits", commits)
                .add("total_commits", total)
                .add("repository", JSON.createObjectBuilder()
                        .add("name", name.substring(name.lastIndexOf('/') + 1))
                        .add("full_name", name)
                        .add("clone_url", repo.cloneUrl())
                        .add("url", repo.cloneUrl())
                        .add("default_branch", repo.defaultBranch() == null ? "main" : repo.defaultBranch()))
                .add("pusher", JSON.createObjectBuilder().add("name", pusher).addNull("email"))
                .add("sender", JSON.createObjectBuilder().add("login", pusher));
        if (head == null) {
            b.addNull("head_commit");
        } else {
            b.add("head_commit", head);
        }
        StringWriter out = new StringWriter();
        try (var w = Json.createWriter(out)) {
            w.writeObject(b.build());
        }
        return out.toString();
    }

    /** The commit {@code id} names, through annotated tags; null for anything else or a missing object. */
    private static RevCommit commitOf(RevWalk walk, ObjectId id) throws IOException {
        try {
            RevObject o = walk.peel(walk.parseAny(id));
            return o instanceof RevCommit c ? c : null;
        } catch (MissingObjectException e) {
            return null;
        }
    }

    private static JsonObjectBuilder commit(RevCommit c, boolean distinct) {
        String message = c.getFullMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
        PersonIdent author = c.getAuthorIdent();
        return JSON.createObjectBuilder()
                .add("id", c.name())
                .add("tree_id", c.getTree().name())
                .add("distinct", distinct)
                .add("message", message)
                .add("timestamp", iso(c.getCommitterIdent()))
                .add("author", person(author))
                .add("committer", person(c.getCommitterIdent()));
    }

    private static JsonObjectBuilder person(PersonIdent p) {
        return JSON.createObjectBuilder().add("name", p.getName()).add("email", p.getEmailAddress());
    }

    /** ISO-8601 with the ident's own offset, as GitHub writes {@code 2015-05-05T19:40:15-04:00}. */
    private static String iso(PersonIdent p) {
        return OffsetDateTime.ofInstant(p.getWhenAsInstant(), p.getZoneId())
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
