/**
 * HTTP: the filter that classifies every Git request, the routing table, the handlers of the dumb and
 * smart protocols, and the HTTP rules (caching, errors). Speaks servlets and calls the service layer;
 * never touches storage or SQL.
 */
package io.gitwar.http;
