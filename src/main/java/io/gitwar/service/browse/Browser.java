package io.gitwar.service.browse;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.NotFound;
import io.gitwar.service.Lease;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads what the web pages show of a repository, on the request's snapshot ({@link Lease#snapshot()}),
 * so that one page is consistent. Read-only; stateless and thread-safe (each call uses its own walk).
 * Every method throws {@link io.gitwar.failure.RepositoryNotFound} for a repository that does not
 * exist, {@link NotFound} for a revision or path it does not have, and {@link LimitExceeded} for a
 * directory too large to list.
 *
 * <p>Everything is bounded: refs, commits and directory entries listed, text shown, the length of a
 * revision and path. A page therefore costs about the same in any repository, however large.
 */
@ApplicationScoped
public class Browser {

    /** Branches, and tags, a page lists; the rest are counted ("and N more"). Each costs a commit read. */
    public static final int MAX_REFS = 100;
    /** Commits of the default branch a repository's page lists (one screen, as GitHub's history page). */
    public static final int MAX_COMMITS = 30;
    /** Entries of one directory a page lists; the rest are counted. Each file costs a size lookup. */
    public static final int MAX_TREE_ENTRIES = 1000;
    /**
     * The largest tree object a page lists (about 200,000 entries): JGit parses a tree whole in
     * memory, and a page must not hold more than a few of these per request.
     */
    public static final int MAX_TREE_BYTES = 8 << 20;
    /** A file larger than this is offered as a download, not shown (a 1 MiB page is already slow to read). */
    public static final int MAX_TEXT_BYTES = 1 << 20;
    /** The longest path a URL may name: Linux's PATH_MAX, which git's checkouts cannot exceed either. */
    public static final int MAX_PATH_BYTES = 4096;
    /** git's limit on a ref name that gitwar accepts in a push ({@code PushRequest}); longer cannot exist. */
    static final int MAX_REF_BYTES = 255;
    /** git's {@code FIRST_FEW_BYTES} (xdiff-interface.c): a NUL among them makes a file binary. */
    static final int BINARY_PROBE_BYTES = 8000;
    /** The longest subject and author name shown: a one-line message of a megabyte stays a line. */
    static final int MAX_LINE_CHARS = 200;
    /** README names in the order GitHub prefers them; matched ignoring case. */
    private static final List<String> README_NAMES = List.of("readme.md", "readme.markdown", "readme",
            "readme.txt", "readme.rst");

    /** A repository's page: default branch, branches, tags, latest commits, root directory, README. */
    public Overview overview(Lease lease) throws IOException {
        Repository repo = lease.snapshot().repository();
        Ref head = repo.exactRef(Constants.HEAD);
        String branch = head != null && head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName()) : null;
        try (RevWalk walk = new RevWalk(repo)) {
            RefList branches = refs(repo, walk, Constants.R_HEADS);
            RefList tags = refs(repo, walk, Constants.R_TAGS);
            ObjectId tip = head == null ? null : head.getObjectId();
            if (tip == null) {
                return new Overview(branch, branches, tags, List.of(), null, null);
            }
            RevCommit start = walk.parseCommit(tip);
            List<CommitSummary> commits = new ArrayList<>();
            walk.markStart(start);
            for (RevCommit c : walk) {
                commits.add(summary(c));
                if (commits.size() == MAX_COMMITS) {
                    break;
                }
            }
            Location root = new Location(branch != null ? branch : tip.name(), start.name(), "");
            Directory dir = list(walk.getObjectReader(), root, start.getTree());
            return new Overview(branch, branches, tags, commits, dir, readme(walk.getObjectReader(), dir));
        }
    }

    /**
     * Splits {@code refAndPath} ({@code topic/x/src/Main.java}) into a revision and a path: the longest
     * leading segments that name a branch, else a tag, else a full commit id, as GitHub does (a
     * branch {@code topic/x} and a path {@code src/Main.java} here). A trailing slash is ignored.
     *
     * @throws NotFound if no leading segments name a commit
     * @throws BadRequest if the path is longer than {@value #MAX_PATH_BYTES} bytes or has empty segments
     */
    public Location locate(Lease lease, String refAndPath) throws IOException {
        String s = refAndPath.endsWith("/") ? refAndPath.substring(0, refAndPath.length() - 1) : refAndPath;
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_REF_BYTES + 1 + MAX_PATH_BYTES) {
            throw new BadRequest("path longer than " + MAX_PATH_BYTES + " bytes");
        }
        String[] parts = s.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new BadRequest("empty segment in path " + refAndPath);
            }
        }
        Repository repo = lease.snapshot().repository();
        try (RevWalk walk = new RevWalk(repo)) {
            int end = 0;
            List<Integer> ends = new ArrayList<>();
            for (String p : parts) {
                end += (end == 0 ? 0 : 1) + p.length();
                if (end > MAX_REF_BYTES) {
                    break;
                }
                ends.add(end);
            }
            for (int i = ends.size() - 1; i >= 0; i--) {
                String ref = s.substring(0, ends.get(i));
                RevCommit commit = resolve(repo, walk, ref);
                if (commit != null) {
                    String path = ends.get(i) == s.length() ? "" : s.substring(ends.get(i) + 1);
                    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                        throw new BadRequest("path longer than " + MAX_PATH_BYTES + " bytes");
                    }
                    return new Location(ref, commit.name(), path);
                }
            }
        }
        throw new NotFound("no branch, tag or commit named by " + refAndPath);
    }

    /**
     * The directory at {@code at}.
     *
     * @throws NotFound if there is none there
     */
    public Directory directory(Lease lease, Location at) throws IOException {
        try (RevWalk walk = new RevWalk(lease.snapshot().repository())) {
            RevTree root = walk.parseCommit(ObjectId.fromString(at.commit())).getTree();
            if (at.path().isEmpty()) {
                return list(walk.getObjectReader(), at, root);
            }
            try (TreeWalk tw = TreeWalk.forPath(walk.getObjectReader(), at.path(), root)) {
                if (tw == null || tw.getFileMode(0) != FileMode.TREE) {
                    throw new NotFound("no directory " + at.path() + " at " + at.ref());
                }
                return list(walk.getObjectReader(), at, tw.getObjectId(0));
            }
        }
    }

    /**
     * The file at {@code at}: its text if it is small text, else what it is.
     *
     * @throws NotFound if there is no file there (a directory or a submodule is none)
     */
    public FileContent file(Lease lease, Location at) throws IOException {
        try (ObjectReader reader = lease.snapshot().repository().newObjectReader()) {
            return content(reader, at, blobAt(reader, at));
        }
    }

    /**
     * The file at {@code at} for download; the caller closes it.
     *
     * @throws NotFound if there is no file there
     */
    public RawFile raw(Lease lease, Location at) throws IOException {
        ObjectReader reader = lease.snapshot().repository().newObjectReader();
        try {
            ObjectId id = blobAt(reader, at);
            long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
            return new RawFile(reader, id, size, at.path().substring(at.path().lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * A digest of every ref and of what HEAD names, in hex: equal while no push moved anything a page
     * shows, so pages can be revalidated without reading more.
     */
    public String refsDigest(Lease lease) throws IOException {
        Repository repo = lease.snapshot().repository();
        MessageDigest sha1 = sha1();
        Ref head = repo.exactRef(Constants.HEAD);
        if (head != null) {
            sha1.update(bytes("HEAD " + (head.isSymbolic() ? head.getTarget().getName() : "") + " "
                    + (head.getObjectId() == null ? "" : head.getObjectId().name()) + "\n"));
        }
        List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefs());
        refs.sort(Comparator.comparing(Ref::getName));
        for (Ref r : refs) {
            sha1.update(bytes(r.getName() + " " + (r.getObjectId() == null ? "" : r.getObjectId().name()) + "\n"));
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    /** The refs under {@code prefix}, by name, the first {@value #MAX_REFS} with their commits. */
    private static RefList refs(Repository repo, RevWalk walk, String prefix) throws IOException {
        List<Ref> all = new ArrayList<>(repo.getRefDatabase().getRefsByPrefix(prefix));
        all.sort(Comparator.comparing(Ref::getName));
        List<RefSummary> shown = new ArrayList<>();
        for (Ref r : all.subList(0, Math.min(all.size(), MAX_REFS))) {
            CommitSummary commit = null;
            if (r.getObjectId() != null) {
                RevObject peeled = walk.peel(walk.parseAny(r.getObjectId()));
                if (peeled instanceof RevCommit c) {
                    walk.parseBody(c);
                    commit = summary(c);
                }
            }
            shown.add(new RefSummary(r.getName().substring(prefix.length()), commit));
        }
        return new RefList(shown, all.size());
    }

    /** The commit a branch, tag or full id names, or null. */
    private static RevCommit resolve(Repository repo, RevWalk walk, String ref) throws IOException {
        ObjectId id = null;
        if (ObjectId.isId(ref)) {
            id = ObjectId.fromString(ref);
        } else if (Repository.isValidRefName(Constants.R_HEADS + ref)) {
            for (String prefix : new String[] {Constants.R_HEADS, Constants.R_TAGS}) {
                Ref r = repo.exactRef(prefix + ref);
                if (r != null && r.getObjectId() != null) {
                    id = r.getObjectId();
                    break;
                }
            }
        }
        if (id == null) {
            return null;
        }
        try {
            RevObject peeled = walk.peel(walk.parseAny(id));
            return peeled instanceof RevCommit c ? c : null;
        } catch (MissingObjectException notHere) {
            return null;
        }
    }

    /** The blob at a path (a regular or executable file, or a symbolic link's target). */
    private static ObjectId blobAt(ObjectReader reader, Location at) throws IOException {
        if (at.path().isEmpty()) {
            throw new NotFound("no file at the root of " + at.ref());
        }
        try (RevWalk walk = new RevWalk(reader)) {
            RevTree root = walk.parseCommit(ObjectId.fromString(at.commit())).getTree();
            try (TreeWalk tw = TreeWalk.forPath(reader, at.path(), root)) {
                if (tw == null || (tw.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_TREE
                        || (tw.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_GITLINK) {
                    throw new NotFound("no file " + at.path() + " at " + at.ref());
                }
                return tw.getObjectId(0);
            }
        }
    }

    private static FileContent content(ObjectReader reader, Location at, ObjectId id) throws IOException {
        long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
        if (size > MAX_TEXT_BYTES) {
            return new FileContent(at, id.name(), size, FileContent.Shown.TOO_LARGE, null); // not read at all
        }
        byte[] bytes = reader.open(id, Constants.OBJ_BLOB).getCachedBytes(MAX_TEXT_BYTES);
        if (isBinary(bytes)) {
            return new FileContent(at, id.name(), size, FileContent.Shown.BINARY, null);
        }
        return new FileContent(at, id.name(), size, FileContent.Shown.TEXT, new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * git's rule (xdiff-interface.c {@code buffer_is_binary}): a NUL in the first 8000 bytes. Not
     * JGit's {@code RawText.isBinary}, which also calls a lone CR binary and looks at 8192 bytes, so
     * that a page would disagree with {@code git diff} about old Mac text files.
     */
    static boolean isBinary(byte[] bytes) {
        for (int i = 0, n = Math.min(bytes.length, BINARY_PROBE_BYTES); i < n; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** A tree's entries, directories first, each group by name, at most {@value #MAX_TREE_ENTRIES}. */
    private static Directory list(ObjectReader reader, Location at, ObjectId tree) throws IOException {
        long bytes = reader.getObjectSize(tree, Constants.OBJ_TREE);
        if (bytes > MAX_TREE_BYTES) {
            throw new LimitExceeded("directory " + (at.path().isEmpty() ? "/" : at.path()) + " is a tree of " + bytes
                    + " bytes, more than pages list (" + MAX_TREE_BYTES + "); clone the repository to see it");
        }
        List<TreeEntry> entries = new ArrayList<>();
        int total = 0;
        // two passes over the parsed tree, so that only the entries shown are kept
        for (boolean directories : new boolean[] {true, false}) {
            CanonicalTreeParser p = new CanonicalTreeParser(null, reader, tree);
            for (; !p.eof(); p.next()) {
                TreeEntry.Kind kind = kind(p.getEntryRawMode());
                if ((kind == TreeEntry.Kind.DIRECTORY) != directories) {
                    continue;
                }
                total++;
                if (entries.size() < MAX_TREE_ENTRIES) {
                    String name = p.getEntryPathString();
                    long size = kind == TreeEntry.Kind.FILE
                            ? reader.getObjectSize(p.getEntryObjectId(), Constants.OBJ_BLOB) : -1;
                    entries.add(new TreeEntry(name, at.path().isEmpty() ? name : at.path() + "/" + name, kind, size));
                }
            }
        }
        return new Directory(at, entries, total);
    }

    private static TreeEntry.Kind kind(int mode) {
        return switch (mode & FileMode.TYPE_MASK) {
            case FileMode.TYPE_TREE -> TreeEntry.Kind.DIRECTORY;
            case FileMode.TYPE_SYMLINK -> TreeEntry.Kind.SYMLINK;
            case FileMode.TYPE_GITLINK -> TreeEntry.Kind.SUBMODULE;
            default -> TreeEntry.Kind.FILE;
        };
    }

    private static Readme readme(ObjectReader reader, Directory root) throws IOException {
        TreeEntry best = null;
        int rank = README_NAMES.size();
        for (TreeEntry e : root.entries()) {
            int r = README_NAMES.indexOf(e.name().toLowerCase(Locale.ROOT));
            if (e.kind() == TreeEntry.Kind.FILE && r >= 0 && r < rank) {
                best = e;
                rank = r;
            }
        }
        if (best == null) {
            return null;
        }
        Location at = root.at().at(best.path());
        FileContent file = content(reader, at, blobAt(reader, at));
        String lower = best.name().toLowerCase(Locale.ROOT);
        return new Readme(file, lower.endsWith(".md") || lower.endsWith(".markdown"));
    }

    private static CommitSummary summary(RevCommit c) {
        PersonIdent author = c.getAuthorIdent();
        return new CommitSummary(c.name(), line(c.getShortMessage()), author == null ? "" : line(author.getName()),
                Instant.ofEpochSecond(c.getCommitTime()));
    }

    private static String line(String s) {
        return s.length() <= MAX_LINE_CHARS ? s : s.substring(0, MAX_LINE_CHARS) + "\u2026";
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
