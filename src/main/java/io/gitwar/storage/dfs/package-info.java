/**
 * JGit's DFS storage (repository, object and ref databases) over one transaction's rows, the
 * destination of received packs (parsed in {@link io.gitwar.storage.dfs.receive}), the thin-pack
 * repair, a first push's bitmap and commit graph written in place
 * ({@link io.gitwar.storage.dfs.SolePackIndexes}), and JGit's process-wide settings ({@link io.gitwar.storage.dfs.JGitEnvironment}).
 */
package io.gitwar.storage.dfs;
