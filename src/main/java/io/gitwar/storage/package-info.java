/**
 * Storage: one SQLite file per repository, opened as read snapshots and one write transaction at a
 * time ({@link io.gitwar.storage.SqliteStore}). The file's tables live in {@code file}, JGit's DFS
 * storage over them in {@code dfs}. Knows SQL and JGit; knows nothing of HTTP, CDI or JTA.
 */
package io.gitwar.storage;
