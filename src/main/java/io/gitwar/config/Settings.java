package io.gitwar.config;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Reads gitwar's keys from MicroProfile Config, and the keys a rename replaced: an old key still
 * works when the new one is absent, with a log line naming the new key, so that upgrading gitwar
 * never silently drops an operator's setting.
 */
final class Settings {

    private static final Logger LOG = Logger.getLogger(Settings.class.getName());

    private final Config config;

    Settings(Config config) {
        this.config = config;
    }

    <T> T get(String key, Class<T> type, T defaultValue) {
        return config.getOptionalValue(key, type).orElse(defaultValue);
    }

    /** The value of {@code key}, else of {@code renamedFrom} (logged), else {@code defaultValue}. */
    <T> T get(String key, String renamedFrom, Class<T> type, T defaultValue) {
        Optional<T> value = config.getOptionalValue(key, type);
        if (value.isPresent()) {
            return value.get();
        }
        Optional<T> old = config.getOptionalValue(renamedFrom, type);
        old.ifPresent(v -> LOG.warning(() -> renamedFrom + " is now " + key + "; the old key still works"));
        return old.orElse(defaultValue);
    }

    Optional<String> string(String key) {
        return config.getOptionalValue(key, String.class);
    }

    List<String> list(String key, List<String> defaultValue) {
        return config.getOptionalValues(key, String.class).orElse(defaultValue);
    }
}
