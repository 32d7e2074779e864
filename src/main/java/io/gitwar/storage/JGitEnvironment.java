package io.gitwar.storage;

import java.lang.reflect.Method;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCache;
import org.eclipse.jgit.internal.storage.dfs.DfsBlockCacheConfig;
import org.eclipse.jgit.internal.util.CleanupService;
import org.eclipse.jgit.lib.Config;
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
 * </ul>
 */
public final class JGitEnvironment {

    private static CleanupService cleanup;

    private JGitEnvironment() {
    }

    /**
     * Installs the settings above; idempotent.
     *
     * @param blockCacheBytes heap given to JGit's block cache (shared by all repositories)
     * @param agent what the server calls itself in the protocol's {@code agent=} capability
     */
    public static synchronized void install(long blockCacheBytes, String agent) {
        UserAgent.set(agent);
        if (cleanup == null) {
            cleanup = new CleanupService(); // registers itself as the instance JGit uses
        }
        SystemReader current = SystemReader.getInstance();
        if (!(current instanceof IsolatedSystemReader)) {
            SystemReader.setInstance(new IsolatedSystemReader(current));
        }
        DfsBlockCache.reconfigure(new DfsBlockCacheConfig()
                .setBlockSize(Chunks.SIZE)
                .setBlockLimit(Math.max(blockCacheBytes, 4L * Chunks.SIZE)));
    }

    /** Runs JGit's cleanup (what its shutdown hook would have done). */
    public static synchronized void shutdown() {
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

    /** Delegates everything except configuration files, which are always empty. */
    private static final class IsolatedSystemReader extends SystemReader.Delegate {

        IsolatedSystemReader(SystemReader delegate) {
            super(delegate);
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
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
