/**
 * What the service tells the rest of the application has happened: small immutable CDI events
 * (a push answered, a fetch served or refused, a dumb file sent, a repack done), fired
 * synchronously on the thread that did the work, after its client was answered. Observers (the
 * metrics; later, webhooks) must be quick and must not throw: an observer's exception would reach
 * the request. Events carry the repository's name for observers that need it; metrics never use
 * it as a label. Imports nothing of gitwar but the repository's name.
 */
package io.gitwar.service.event;
