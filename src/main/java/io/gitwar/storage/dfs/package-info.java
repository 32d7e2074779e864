/**
 * JGit's DFS storage (repository, object and ref databases) over one transaction's rows, with the
 * pack parser's bounds (memory while deltas are resolved, what resolving may produce; {@link
 * io.gitwar.storage.dfs.PackBounds}) and the thin-pack repair, and JGit's process-wide settings
 * ({@link io.gitwar.storage.dfs.JGitEnvironment}).
 */
package io.gitwar.storage.dfs;
