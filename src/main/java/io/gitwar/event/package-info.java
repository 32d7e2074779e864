/**
 * gitwar's supported extension point for Java code deployed with it: CDI events that tell what
 * happened to repositories ({@link io.gitwar.event.PushReceived}, {@link
 * io.gitwar.event.RepositoryCreated}, {@link io.gitwar.event.RepositoryDeleted}, {@link
 * io.gitwar.event.RepositoryRenamed}). They are fired only after what they tell was committed,
 * never for a push that was refused or rolled back, one at a time in the order things happened,
 * on a background thread of the container's managed executor, never on the thread that answers a
 * client: a slow observer delays only the events after it, never a push; an observer's exception
 * is logged and stops neither the push nor any other observer (each is notified by itself, in
 * {@code @Priority} order). A plain {@code @Observes} and {@code @Observes(during = AFTER_SUCCESS)}
 * both see them (no transaction is active when they are fired). Events held in memory are lost if
 * the server stops before they are fired: for guaranteed delivery use webhooks, whose deliveries are
 * committed with the push. The types are immutable records of JDK types only; this package
 * imports nothing of gitwar, so observers depend on nothing else of it.
 */
package io.gitwar.event;
