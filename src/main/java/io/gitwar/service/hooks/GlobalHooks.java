package io.gitwar.service.hooks;

import io.gitwar.config.GitwarConfig;
import io.gitwar.storage.GlobalHooksFile;
import io.gitwar.storage.file.HookRows;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;

/**
 * The server's global webhooks ({@link GlobalHooksFile}), with the list kept in memory: every push
 * reads it inside its transaction, where a read of another file would add a lock and a wait.
 * A hook added while a push is being committed may miss that push. Thread-safe.
 */
@ApplicationScoped
public class GlobalHooks {

    @Inject
    GitwarConfig config;

    private GlobalHooksFile file;
    private volatile List<HookRows.Hook> hooks;

    /** The global hooks now. */
    public List<HookRows.Hook> list() throws IOException {
        List<HookRows.Hook> h = hooks;
        if (h == null) {
            h = run(HookRows::list);
        }
        return h;
    }

    /** Runs {@code work} on the file's rows; the list in memory is read again afterwards. */
    public synchronized <T> T run(GlobalHooksFile.Work<T> work) throws IOException {
        if (file == null) {
            file = new GlobalHooksFile(config.dataDir());
        }
        T result = file.run(work);
        hooks = file.run(HookRows::list);
        return result;
    }

    @PreDestroy
    synchronized void close() {
        if (file != null) {
            file.close();
        }
    }
}
