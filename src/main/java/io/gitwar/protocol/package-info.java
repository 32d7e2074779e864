/**
 * Git's wire formats, as pure codecs: pkt-lines here; the push request and its reports in
 * {@code receive}, the fetch request and capabilities in {@code upload}, the generated files of the dumb
 * protocol in {@code dumb}. Decoding ends in validation. Imports only the JDK, JGit and the failures.
 */
package io.gitwar.protocol;
