package io.gitwar.service.admin;

import io.gitwar.event.RepositoryCreated;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.Conflict;
import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.failure.RepositoryDamaged;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryChanged;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.service.hooks.PublicEvents;
import io.gitwar.service.repack.Repacker;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.Fsck;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * Repositories as the API sees them: listed a page at a time, created empty, described, their
 * default branch and read-only flag changed (each a write in the repository's turn, like a push),
 * and repacked or checked on demand.
 */
@ApplicationScoped
public class Repositories {

    private static final Logger LOG = Logger.getLogger(Repositories.class.getName());

    /** A page when the client names no limit. */
    public static final int DEFAULT_LIMIT = 100;
    /**
     * The largest page: each listed repository is opened (its refs and packs read), so a page costs
     * about a millisecond per repository; a thousand keeps one request around a second.
     */
    public static final int MAX_LIMIT = 1000;
    /**
     * Names one search looks at: each batch of {@value #MAX_LIMIT} walks the data directory's tree
     * once, so ten walks bound the cost of a search that finds little.
     */
    public static final int MAX_SEARCHED = 10 * MAX_LIMIT;

    private final ActorRegistry registry;
    private final RepositoryWrites writes;
    private final Repacker repacker;
    private final HeapBudget budget;
    private final PublicEvents events;
    private final Event<RepositoryChanged> changed;

    @Inject
    public Repositories(ActorRegistry registry, RepositoryWrites writes, Repacker repacker, HeapBudget budget,
            PublicEvents events, Event<RepositoryChanged> changed) {
        this.changed = changed;
        this.registry = registry;
        this.writes = writes;
        this.repacker = repacker;
        this.budget = budget;
        this.events = events;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Repositories() {
        this(null, null, null, null, null, null);
    }

    /**
     * The repositories whose names start with {@code prefix} and sort after {@code cursor}, at most
     * {@code limit}, sorted by name. A repository deleted between the listing of names and its
     * description is left out.
     *
     * @throws BadRequest if the limit is outside 1..{@value #MAX_LIMIT}
     */
    public RepositoryPage list(String prefix, String cursor, int limit) throws IOException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        List<String> names = registry.dataDirectory().names(prefix, cursor, limit + 1);
        boolean more = names.size() > limit;
        List<String> page = more ? names.subList(0, limit) : names;
        return new RepositoryPage(describeAll(page), more ? page.get(page.size() - 1) : null);
    }

    /**
     * The repositories whose names contain {@code contains} (ignoring case) and sort after {@code
     * cursor}, at most {@code limit}, sorted by name: the listing above, filtered. At most {@value
     * #MAX_SEARCHED} names are looked at per call, so a rare match in a large server may take several
     * pages, some of them empty; the next cursor then is the last name looked at.
     *
     * @throws BadRequest if the limit is outside 1..{@value #MAX_LIMIT}
     */
    public RepositoryPage search(String contains, String cursor, int limit) throws IOException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        String needle = contains.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        String after = cursor;
        int searched = 0;
        while (searched < MAX_SEARCHED) {
            List<String> names = registry.dataDirectory().names(null, after, MAX_LIMIT);
            for (String n : names) {
                searched++;
                if (n.toLowerCase(Locale.ROOT).contains(needle)) {
                    if (found.size() == limit) {
                        return new RepositoryPage(describeAll(found), found.get(limit - 1)); // one more exists
                    }
                    found.add(n);
                }
                after = n;
            }
            if (names.size() < MAX_LIMIT) {
                return new RepositoryPage(describeAll(found), null); // every name looked at
            }
        }
        return new RepositoryPage(describeAll(found), after);
    }

    private List<RepositoryFacts> describeAll(List<String> page) {
        List<RepositoryFacts> facts = new ArrayList<>();
        for (String n : page) {
            RepositoryName name;
            try {
                name = new RepositoryName(n);
            } catch (InvalidRepositoryName foreign) {
                continue; // a file gitwar did not name: not a repository it serves
            }
            try {
                facts.add(describe(name));
            } catch (RepositoryNotFound deletedMeanwhile) {
                // gone since its name was read
            } catch (RepositoryDamaged e) {
                facts.add(RepositoryFacts.damaged(n));
            } catch (IOException | RuntimeException e) {
                // one file SQLite or JGit cannot read (damaged behind gitwar's back) must not hide the others
                LOG.log(Level.WARNING, "cannot describe repository " + n + " for a listing", e);
                facts.add(RepositoryFacts.damaged(n));
            }
        }
        return facts;
    }

    /**
     * The repository as it is now (one snapshot).
     *
     * @throws RepositoryNotFound if it does not exist
     */
    public RepositoryFacts describe(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            return describe(name, lease);
        }
    }

    /**
     * The leased repository as its request's snapshot sees it (what the web pages show beside its
     * Git data, read from the same snapshot).
     *
     * @throws RepositoryNotFound if it does not exist
     */
    public RepositoryFacts describe(Lease lease) throws IOException {
        return describe(lease.name(), lease);
    }

    /** {@code name} as the client spelled it (the lease's may be folded to lower case). */
    private RepositoryFacts describe(RepositoryName name, Lease lease) throws IOException {
        ReadSnapshot s = lease.snapshot();
        Ref head = s.repository().exactRef(Constants.HEAD);
        String branch = head != null && head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName()) : null;
        String headId = head != null && head.getObjectId() != null ? head.getObjectId().name() : null;
        List<StoredPack> packs = s.packs();
        long packBytes = 0;
        long objects = 0;
        for (StoredPack p : packs) {
            StoredFile f = p.file(PackExt.PACK);
            packBytes += f == null ? 0 : f.size();
            objects += p.objectCount();
        }
        return new RepositoryFacts(name.value(), branch, headId, packBytes, s.refCount(), s.lastPushAt(),
                s.readOnly(), packs.size(), objects,
                registry.dataDirectory().fileBytes(registry.canonical(name).value()), false);
    }

    /**
     * Creates an empty repository whose HEAD names {@code defaultBranch} (the branch comes with the
     * first push to it, as after {@code git init -b}).
     *
     * @throws Conflict if it exists
     * @throws BadRequest if the branch name is not a valid one
     */
    public RepositoryFacts create(RepositoryName name, String defaultBranch) throws IOException {
        String branch = branchRef(defaultBranch == null ? "main" : defaultBranch);
        try (Lease lease = registry.lease(name)) {
            writes.maintain(lease.actor(), tx -> {
                if (!tx.isCreating()) {
                    throw new Conflict("repository " + name + " exists");
                }
                linkHead(tx, branch);
                String created = tx.repositoryName();
                writes.afterCommit(() -> events.fire(new RepositoryCreated(created, Instant.now())));
                return null;
            });
        }
        return describe(name);
    }

    /**
     * Changes the repository's default branch and read-only flag, in one write (a rename is
     * {@link RepositoryMoves#rename}'s).
     *
     * @throws RepositoryNotFound if it does not exist
     * @throws Unprocessable if the new default branch does not exist
     */
    public void change(Lease lease, RepositoryChanges changes) throws IOException {
        String branch = changes.defaultBranch() == null ? null : branchRef(changes.defaultBranch());
        if (branch == null && changes.readOnly() == null) {
            return;
        }
        writes.maintain(lease.actor(), tx -> {
            if (tx.isCreating()) {
                throw new RepositoryNotFound("repository not found: " + lease.name());
            }
            if (branch != null) {
                if (tx.repository().exactRef(branch) == null) {
                    throw new Unprocessable("branch " + changes.defaultBranch() + " does not exist in "
                            + lease.name() + "; push it first");
                }
                linkHead(tx, branch);
            }
            if (changes.readOnly() != null) {
                tx.setReadOnly(changes.readOnly());
            }
            return null;
        });
        changed.fire(new RepositoryChanged(lease.name().toString(), Instant.now()));
    }

    /**
     * Starts a repack of the repository now, in the background ({@link Repacker}).
     *
     * @throws RepositoryNotFound if it does not exist
     */
    public void repack(RepositoryName name) {
        try (Lease lease = registry.lease(name)) {
            if (!lease.exists()) {
                throw new RepositoryNotFound("repository not found: " + name);
            }
            repacker.repackNow(lease.actor());
        }
    }

    /**
     * JGit's fsck over the whole repository, on one snapshot; it reserves the heap of a push of all
     * its objects (JGit's walk keeps an entry per object).
     */
    public FsckResult fsck(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            ReadSnapshot s = lease.snapshot();
            long objects = s.packs().stream().mapToLong(StoredPack::objectCount).sum();
            try (HeapBudget.Reservation heap = budget.reserve(HeapBudget.forPush(objects), "an fsck of " + name)) {
                return FsckResult.of(Fsck.check(s.repository()));
            }
        }
    }

    /** {@code refs/heads/<branch>}, if that is a valid branch name. */
    private static String branchRef(String branch) {
        String ref = Constants.R_HEADS + branch;
        if (branch.isEmpty() || !Repository.isValidRefName(ref)) {
            throw new BadRequest("invalid branch name: " + branch);
        }
        return ref;
    }

    private static void linkHead(WriteTransaction tx, String branchRef) throws IOException {
        RefUpdate u = tx.repository().updateRef(Constants.HEAD);
        u.disableRefLog();
        RefUpdate.Result r = u.link(branchRef);
        if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("cannot point HEAD at " + branchRef + ": " + r);
        }
    }
}
