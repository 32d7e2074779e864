/**
 * Storage: one SQLite file per repository holding JGit's DFS packs as chunked rows and the refs as rows.
 * Knows SQL and JGit's DFS contracts; knows nothing of HTTP, CDI or JTA (callers bind transactions).
 * Every type here is used by the service layer only.
 */
package io.gitwar.storage;
