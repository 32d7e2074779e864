package io.gitwar.storage.dfs;

import io.gitwar.storage.file.Chunks;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCache;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCacheConfig;
import org.eclipse.jgit.internal.util.CleanupService;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.internal.WorkQueue;
import org.eclipse.jgit.nls.NLS;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.UserAgent;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit's process-wide state, set once per deployment before JGit is used.
 *
 * <ul>
 * <li>A {@link SystemReader} with empty user, system and JGit configs: JGit would otherwise read the
 * server account's {@code ~/.gitconfig} and spawn {@code git} to find the system config.</li>
 * <li>JGit's {@link CleanupService} in its "managed" mode, so JGit registers no JVM shutdown hook
 * that would pin this deployment's class loader; {@link #shutdown()} runs its cleanup instead.</li>
 * <li>The DFS block cache: blocks as large as chunk rows (one row per block read).</li>
 * <li>The SHA-1 implementation: JGit's own, which detects collision attacks (SHAttered) as git's
 * sha1dc does, or the JDK's, about twice as fast on a push (CPU SHA instructions) but blind to them.
 * JGit reads this choice once, from the user config this reader supplies.</li>
 * </ul>
 *
 * <p>What JGit leaves behind is undone, so an undeployed gitwar's class loader can be collected
 * (measured: each redeploy on Payara Server otherwise kept the old one, about 5 MB of metaspace):
 * {@link #releaseThread()} after each use of JGit on a container thread, {@link #shutdown()} at the end.
 */
public final class JGitEnvironment {

    private static CleanupService cleanup;

    /** JGit's per-thread translation bundles: {@code NLS.local}, an InheritableThreadLocal it never clears. */
    private static final ThreadLocal<?> NLS_LOCAL = nlsLocal();

    private JGitEnvironment() {
    }

    /**
     * Installs the settings above; idempotent.
     *
     * @param blockCacheBytes heap given to JGit's block cache (shared by all repositories)
     * @param agent what the server calls itself in the protocol's {@code agent=} capability
     * @param detectSha1Collisions whether object ids are computed with collision detection
     */
    public static synchronized void install(long blockCacheBytes, String agent, boolean detectSha1Collisions) {
        UserAgent.set(agent);
        if (cleanup == null) {
            cleanup = new CleanupService(); // registers itself as the instance JGit uses
        }
        SystemReader current = SystemReader.getInstance();
        SystemReader base = current instanceof IsolatedSystemReader isolated ? isolated.delegate : current;
        SystemReader.setInstance(new IsolatedSystemReader(base, detectSha1Collisions));
        DfsBlockCache.reconfigure(new DfsBlockCacheConfig()
                .setBlockSize(Chunks.SIZE)
                .setBlockLimit(Math.max(blockCacheBytes, 4L * Chunks.SIZE)));
    }

    /** Block reads JGit's block cache answered from memory since the start, over all pack files. */
    public static long blockCacheHits() {
        return sum(DfsBlockCache.getInstance().getHitCount());
    }

    /** Block reads asked of JGit's block cache since the start, over all pack files. */
    public static long blockCacheRequests() {
        return sum(DfsBlockCache.getInstance().getTotalRequestCount());
    }

    /** JGit counts per kind of pack file (pack, index, bitmap...). */
    private static long sum(long[] perExtension) {
        long total = 0;
        for (long n : perExtension) {
            total += n;
        }
        return total;
    }

    /**
     * Forgets what JGit keeps in the current thread: its translation bundles, whose classes are this
     * deployment's. Left in a container's pooled thread (HTTP workers, managed executors), they would
     * keep the deployment's class loader after an undeploy: those threads outlive it. JGit makes them
     * again on its next use in the thread (a map lookup: the bundles themselves are cached globally).
     */
    public static void releaseThread() {
        if (NLS_LOCAL != null) {
            NLS_LOCAL.remove();
        }
    }

    /**
     * Runs JGit's cleanup (what its shutdown hook would have done) and stops its work queue: a static
     * executor whose thread ("JGit-WorkQueue") starts with the first push or fetch (progress monitors
     * schedule on it) and never ends by itself. Called when the application stops.
     */
    public static synchronized void shutdown() {
        stopWorkQueue();
        if (cleanup == null) {
            return;
        }
        try {
            Method shutDown = CleanupService.class.getDeclaredMethod("shutDown");
            shutDown.setAccessible(true);
            shutDown.invoke(cleanup);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // nothing registered, or a JGit without the method: nothing to clean up
        }
    }

    private static void stopWorkQueue() {
        try {
            WorkQueue.getExecutor().shutdownNow();
            WorkQueue.getExecutor().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadLocal<?> nlsLocal() {
        try {
            Field local = NLS.class.getDeclaredField("local");
            local.setAccessible(true);
            return (ThreadLocal<?>) local.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a JGit without the field keeps nothing there
        }
    }

    /**
     * Delegates everything except configuration files: the system and JGit configs are empty, the
     * user config holds only gitwar's choice of SHA-1 implementation.
     */
    private static final class IsolatedSystemReader extends SystemReader.Delegate {

        final SystemReader delegate;
        private final boolean detectSha1Collisions;

        IsolatedSystemReader(SystemReader delegate, boolean detectSha1Collisions) {
            super(delegate);
            this.delegate = delegate;
            this.detectSha1Collisions = detectSha1Collisions;
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            EmptyConfig config = new EmptyConfig(parent, fs);
            config.setString("core", null, "sha1implementation", detectSha1Collisions ? "java" : "jdkNative");
            return config;
        }

        @Override
        public FileBasedConfig openSystemConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }

        @Override
        public FileBasedConfig openJGitConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }
    }

    /** A config no file backs: it never loads, never saves and is never outdated. */
    private static final class EmptyConfig extends FileBasedConfig {

        EmptyConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // nothing to load: gitwar's settings come from MicroProfile Config, not git config files
        }

        @Override
        public boolean isOutdated() {
            return false;
        }

        @Override
        public void save() {
            // never written
        }

        @Override
        public String toString() {
            return "EmptyConfig"; // FileBasedConfig's own toString dereferences the (absent) file
        }
    }
}
