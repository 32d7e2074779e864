package io.gitwar.service.admin;

import io.gitwar.config.GitwarConfig;
import io.gitwar.event.RepositoryCreated;
import io.gitwar.event.RepositoryDeleted;
import io.gitwar.event.RepositoryRenamed;
import io.gitwar.failure.Conflict;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.DiskSpace;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryActor;
import io.gitwar.service.RepositoryChanged;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.hooks.Deliverer;
import io.gitwar.service.hooks.PublicEvents;
import io.gitwar.storage.DataDirectory;
import io.gitwar.storage.NameHolds;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * The operations on repositories' files: delete, rename, fork and restore, each atomic for
 * clients. They run in the write turn of every repository they touch (taken in name order, so two
 * of them never wait for each other), so no push is half-way through meanwhile: a push that had
 * its turn before finishes on the old file, one that waits behind is refused with git's report
 * (nothing stored). The old file's actor is then {@linkplain ActorRegistry#remove removed} and its
 * name held until the reads still in progress on it are done ({@link NameHolds}); new requests get
 * a new actor on whatever is at the name now.
 *
 * <p>A new file (a fork, a rename's copy, a restored backup) is made whole in the staging directory
 * first and published under its name in one step, so nobody ever sees part of it.
 */
@ApplicationScoped
public class RepositoryMoves {

    private static final Logger LOG = Logger.getLogger(RepositoryMoves.class.getName());

    /** Problems of a refused backup told to the client; the rest are counted. */
    private static final int MAX_TOLD = 5;

    private final ActorRegistry registry;
    private final GitwarConfig config;
    private final DiskSpace disk;
    private final PublicEvents events;
    private final Deliverer deliverer;
    private final Event<RepositoryChanged> changed;

    @Inject
    public RepositoryMoves(ActorRegistry registry, GitwarConfig config, DiskSpace disk, PublicEvents events,
            Deliverer deliverer, Event<RepositoryChanged> changed) {
        this.changed = changed;
        this.registry = registry;
        this.config = config;
        this.disk = disk;
        this.events = events;
        this.deliverer = deliverer;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected RepositoryMoves() {
        this(null, null, null, null, null, null);
    }

    /**
     * Deletes the repository: its file goes to the trash directory (or is deleted, see
     * {@code gitwar.trash-retention-hours}). Afterwards its name is 404, and free for a new
     * repository once the reads in progress on the old file are done.
     *
     * @throws RepositoryNotFound if it does not exist
     */
    public void delete(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            RepositoryActor actor = lease.actor();
            inTurn(actor, () -> {
                requireExists(actor);
                NameHolds.Hold hold = registry.hold(name);
                try {
                    SqliteStore old = registry.remove(actor, "repository " + name + " was deleted");
                    data().remove(hold.name(), config.admin().trashRetention());
                    hold.releaseWhenClosed(old);
                } catch (IOException | RuntimeException e) {
                    hold.release();
                    throw e;
                }
                LOG.info(() -> "deleted repository " + name + (config.admin().trashRetention().isZero() ? ""
                        : " (kept in the trash for " + config.admin().trashRetention().toHours() + " h)"));
            });
        }
        events.fire(new RepositoryDeleted(registry.canonical(name).value(), Instant.now()));
    }

    /**
     * Renames the repository: a copy of its file is published under the new name and the old one
     * deleted, while both names' turns are held. Afterwards the old name is 404.
     *
     * @throws RepositoryNotFound if it does not exist
     * @throws Conflict if a repository of the new name exists
     */
    public void rename(RepositoryName from, RepositoryName to) throws IOException {
        if (registry.canonical(from).equals(registry.canonical(to))) {
            return; // the same file
        }
        try (Lease source = registry.lease(from); Lease target = registry.lease(to)) {
            boolean sourceFirst = source.name().value().compareTo(target.name().value()) < 0;
            RepositoryActor first = sourceFirst ? source.actor() : target.actor();
            RepositoryActor second = sourceFirst ? target.actor() : source.actor();
            inTurn(first, () -> inTurn(second, () -> {
                requireExists(source.actor());
                requireAbsent(target.actor(), to);
                try (StagedFile copy = data().stage()) {
                    disk.requireRoomFor(data().fileBytes(source.name().value()), "the renamed copy", "renames are refused");
                    source.actor().copyTo(copy); // in the source's turn: nothing is written after this copy
                    copy.prepare();
                    NameHolds.Hold targetHold = registry.hold(to);
                    try {
                        NameHolds.Hold sourceHold = registry.hold(from);
                        try {
                            publish(copy, targetHold, to);
                            SqliteStore old = registry.remove(source.actor(),
                                    "repository " + from + " was renamed to " + to);
                            data().remove(sourceHold.name(), Duration.ZERO); // its data lives on under the new name
                            sourceHold.releaseWhenClosed(old);
                        } catch (IOException | RuntimeException e) {
                            sourceHold.release();
                            throw e;
                        }
                    } finally {
                        targetHold.release();
                    }
                }
                LOG.info(() -> "renamed repository " + from + " to " + to);
            }));
        }
        String newName = registry.canonical(to).value();
        events.fire(new RepositoryRenamed(registry.canonical(from).value(), newName, Instant.now()));
        deliverer.wake(newName); // what the old name owed is owed by the new one
    }

    /**
     * Makes {@code to} a new repository with {@code from}'s objects and refs: a copy of its file,
     * consistent at one instant, taken without its write turn (pushes to it go on). The fork is
     * writable and has no last push, whatever its source had.
     *
     * @throws RepositoryNotFound if {@code from} does not exist
     * @throws Conflict if {@code to} exists
     */
    public void fork(RepositoryName from, RepositoryName to) throws IOException {
        try (Lease source = registry.lease(from); StagedFile copy = data().stage()) {
            requireExists(source.actor());
            try (Lease target = registry.lease(to)) {
                requireAbsent(target.actor(), to); // before copying gigabytes for nothing
            }
            disk.requireRoomFor(data().fileBytes(source.name().value()), "the fork", "forks are refused");
            source.actor().copyTo(copy);
            copy.resetSettings();
            publishNew(copy, to);
        }
        LOG.info(() -> "forked repository " + from + " to " + to);
        events.fire(new RepositoryCreated(registry.canonical(to).value(), Instant.now()));
    }

    /**
     * Restores a backup ({@code body}: one gitwar repository file) as the repository {@code name}.
     * The body is received into the staging directory and checked ({@link StagedFile#validate});
     * only a sound file becomes visible, whole. With {@code replace}, an existing repository is
     * replaced (its file goes as a deleted one does) once the reads in progress on it are done.
     *
     * @throws Conflict if the repository exists and {@code replace} is false
     * @throws Unprocessable if the file is not a sound gitwar repository (nothing changed)
     * @throws LimitExceeded if it is larger than {@code gitwar.restore.max-bytes}
     * @throws RepositoryBusy if reads of the repository it replaces did not end in time
     * @return whether a repository was replaced
     */
    public boolean restore(RepositoryName name, InputStream body, boolean replace) throws IOException {
        try (Lease lease = registry.lease(name)) {
            if (!replace) {
                requireAbsent(lease.actor(), name); // before receiving the body
            }
        }
        try (StagedFile staged = data().stage()) {
            receiveSound(name, body, staged);
            if (!replace) {
                publishNew(staged, name);
                LOG.info(() -> "restored repository " + name + " from a backup");
                events.fire(new RepositoryCreated(registry.canonical(name).value(), Instant.now()));
                deliverer.wake(registry.canonical(name).value());
                return false;
            }
            boolean replaced = install(name, staged, "a restore", config.admin().trashRetention());
            LOG.info(() -> (replaced ? "replaced repository " : "restored repository ") + name + " from a backup");
            if (!replaced) {
                events.fire(new RepositoryCreated(registry.canonical(name).value(), Instant.now()));
            } else {
                // its copies on other nodes, if it has any, are replaced too before the API answers
                changed.fire(new RepositoryChanged(registry.canonical(name).value(), Instant.now()));
            }
            deliverer.wake(registry.canonical(name).value());
            return replaced;
        }
    }

    /**
     * Receives a copy of {@code name} that another node is moving here: its bytes checked against the
     * SHA-256 digest the sender computed, the file as a database of gitwar's schema
     * ({@link StagedFile#validateDatabase}), then put in place of any earlier copy of it. Tells nobody: until the placement names this
     * node, every request for {@code name} goes to the node it comes from, and this file only waits.
     */
    public void adopt(RepositoryName name, InputStream body, byte[] sha256) throws IOException {
        try (StagedFile staged = data().stage()) {
            MessageDigest digest = sha256();
            try {
                staged.receive(new DigestInputStream(body, digest), -1,
                        bytes -> disk.requireRoomFor(bytes, "the moved copy", "moves are refused"));
            } catch (StagedFile.TooLargeException e) {
                throw new IllegalStateException("no limit was set", e);
            }
            if (!MessageDigest.isEqual(digest.digest(), sha256)) {
                throw new Unprocessable("the copy of " + name + " does not match its digest: nothing changed");
            }
            List<String> problems = staged.validateDatabase();
            if (!problems.isEmpty()) {
                throw new Unprocessable("the copy of " + name + " is not a sound gitwar repository: " + problems);
            }
            install(name, staged, "a newer copy", Duration.ZERO);
        }
    }

    /** A SHA-256 digest, as a move's copies are checked by. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Deletes a copy {@link #adopt} received for a move that did not happen. Tells nobody. */
    public void discard(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            RepositoryActor actor = lease.actor();
            inTurn(actor, () -> {
                if (actor.exists()) {
                    NameHolds.Hold hold = registry.hold(name);
                    try {
                        SqliteStore old = registry.remove(actor, "the copy of " + name + " was discarded");
                        data().remove(hold.name(), Duration.ZERO);
                        hold.releaseWhenClosed(old);
                    } catch (IOException | RuntimeException e) {
                        hold.release();
                        throw e;
                    }
                }
            });
        }
    }

    /** A step of giving a repository to another node, run in its write turn. */
    @FunctionalInterface
    public interface HandOver {
        void run() throws IOException;
    }

    /**
     * Gives the repository up to another node, in its write turn (pushes wait): runs {@code lastCopy}
     * (which may read the file), holds the name, runs {@code handOver} (the placement's switch); unless
     * one of them throws, this node's file then goes as a deleted one does (its name held until the
     * reads on it end), and the pushes that waited are refused with {@code why}. The name is held
     * before the switch, so nothing can keep the file here once the other node holds the repository.
     * Tells nobody: the repository lives on at the other node.
     */
    public void handOver(Lease lease, String why, HandOver lastCopy, HandOver handOver) throws IOException {
        RepositoryActor actor = lease.actor();
        inTurn(actor, () -> {
            requireExists(actor);
            lastCopy.run(); // before the name is held: a copy opens a connection on the file
            NameHolds.Hold hold = registry.hold(lease.name());
            try {
                handOver.run();
            } catch (IOException | RuntimeException e) {
                hold.release();
                throw e;
            }
            SqliteStore old = registry.remove(actor, why); // from here on, waiting pushes are refused
            try {
                data().remove(hold.name(), config.admin().trashRetention());
            } finally {
                hold.releaseWhenClosed(old);
            }
        });
    }

    /** Receives {@code body} into {@code staged}: within the restore limit, and a sound repository file. */
    private void receiveSound(RepositoryName name, InputStream body, StagedFile staged) throws IOException {
        try {
            staged.receive(body, config.admin().maxRestoreBytes(),
                    bytes -> disk.requireRoomFor(bytes, "the backup", "restores are refused"));
        } catch (StagedFile.TooLargeException e) {
            throw new LimitExceeded(e.getMessage() + " (gitwar.restore.max-bytes): refused");
        }
        List<String> problems = staged.validate();
        if (!problems.isEmpty()) {
            LOG.info(() -> "restore of " + name + " refused: " + problems);
            throw new Unprocessable("not a sound gitwar repository, nothing changed: "
                    + String.join("; ", problems.subList(0, Math.min(MAX_TOLD, problems.size())))
                    + (problems.size() > MAX_TOLD ? "; and " + (problems.size() - MAX_TOLD) + " more" : ""));
        }
        staged.forgetCopies(); // the placement of the repository it was taken from is not this one's
    }

    /**
     * Puts {@code staged} at {@code name}, in its turn: published if nothing is there, else in place of
     * the file there (which goes to the trash for {@code keepOld}) once the reads on it are done.
     *
     * @return whether a file was replaced
     */
    private boolean install(RepositoryName name, StagedFile staged, String by, Duration keepOld) throws IOException {
        try (Lease lease = registry.lease(name)) {
            RepositoryActor actor = lease.actor();
            boolean[] replaced = {false};
            inTurn(actor, () -> {
                NameHolds.Hold hold = registry.hold(name);
                try {
                    if (!actor.exists()) {
                        publish(staged, hold, name);
                        return;
                    }
                    SqliteStore old = registry.remove(actor, "repository " + name + " was replaced by " + by);
                    if (!old.awaitNotInUse(config.admin().replaceWait())) {
                        throw new RepositoryBusy("reads of repository " + name + " did not finish within "
                                + config.admin().replaceWait().toSeconds() + " s; nothing changed, try again");
                    }
                    data().replace(staged, hold, keepOld);
                    replaced[0] = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RepositoryBusy("interrupted while reads of " + name + " finished; nothing changed");
                } finally {
                    hold.release();
                }
            });
            return replaced[0];
        }
    }

    /** Publishes {@code staged} as the new repository {@code name}, in its turn. */
    private void publishNew(StagedFile staged, RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            inTurn(lease.actor(), () -> {
                requireAbsent(lease.actor(), name);
                NameHolds.Hold hold = registry.hold(name);
                try {
                    publish(staged, hold, name);
                } finally {
                    hold.release();
                }
            });
        }
    }

    private void publish(StagedFile staged, NameHolds.Hold hold, RepositoryName name) throws IOException {
        try {
            data().publish(staged, hold);
        } catch (FileAlreadyExistsException e) {
            throw new Conflict("repository " + name + " exists");
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException, InterruptedException;
    }

    /** Runs {@code step} in the actor's write turn, waiting as a push would (but never refused for the queue). */
    private void inTurn(RepositoryActor actor, Step step) throws IOException {
        actor.write(config.pushQueueTimeout(), Integer.MAX_VALUE, store -> {
            try {
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RepositoryBusy("interrupted");
            }
            return null;
        });
    }

    private static void requireExists(RepositoryActor actor) {
        if (!actor.exists()) {
            throw new RepositoryNotFound("repository not found: " + actor.name());
        }
    }

    private static void requireAbsent(RepositoryActor actor, RepositoryName name) {
        if (actor.exists()) {
            throw new Conflict("repository " + name + " exists");
        }
    }

    private DataDirectory data() {
        return registry.dataDirectory();
    }
}
