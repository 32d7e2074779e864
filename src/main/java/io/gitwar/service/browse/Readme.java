package io.gitwar.service.browse;

/**
 * The README of the default branch's root directory.
 *
 * @param file its file, text or not
 * @param markdown whether its name says Markdown ({@code .md}, {@code .markdown})
 */
public record Readme(FileContent file, boolean markdown) {
}
