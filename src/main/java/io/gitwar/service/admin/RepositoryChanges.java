package io.gitwar.service.admin;

/**
 * What a change of a repository asks for; null: unchanged.
 *
 * @param defaultBranch the branch HEAD is to name (it must exist)
 * @param readOnly whether pushes are to be refused
 * @param name the repository's new name
 */
public record RepositoryChanges(String defaultBranch, Boolean readOnly, String name) {
}
