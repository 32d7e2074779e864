package io.gitwar.service.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.infinispan.Cache;

/**
 * The placement in a replicated Infinispan cache of the server's cache container, found in JNDI.
 * The only class of gitwar that names Infinispan: it is loaded only in cluster mode, so the WAR
 * needs no Infinispan classes otherwise (its module dependency is optional:
 * jboss-deployment-structure.xml).
 *
 * <p>The cache is not transactional: a conditional write goes to the key's primary owner, which
 * decides it under the key's lock and replicates the result, so racing writers agree.
 */
final class InfinispanStore implements PlacementStore {

    private final Cache<String, String> cache;

    private InfinispanStore(Cache<String, String> cache) {
        this.cache = cache;
    }

    @SuppressWarnings("unchecked")
    static InfinispanStore lookup(String jndiName) throws NamingException {
        return new InfinispanStore((Cache<String, String>) new InitialContext().lookup(jndiName));
    }

    @Override
    public String self() {
        return String.valueOf(cache.getCacheManager().getAddress());
    }

    @Override
    public List<String> members() {
        return cache.getCacheManager().getMembers().stream().map(String::valueOf).toList();
    }

    @Override
    public String get(String key) {
        return cache.get(key);
    }

    @Override
    public String putIfAbsent(String key, String value) {
        String previous = cache.putIfAbsent(key, value);
        return previous == null ? value : previous;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return cache.replace(key, expected, value);
    }

    @Override
    public boolean remove(String key, String expected) {
        return cache.remove(key, expected);
    }

    @Override
    public void put(String key, String value) {
        cache.put(key, value);
    }

    @Override
    public Map<String, String> entries(String prefix) {
        Map<String, String> found = new HashMap<>();
        cache.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                found.put(k, v);
            }
        });
        return found;
    }
}
