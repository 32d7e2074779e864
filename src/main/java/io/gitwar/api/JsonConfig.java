package io.gitwar.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The API's JSON: snake_case names ({@code default_branch}, as the and most Git hosts' APIs
 * spell them) from the records' camelCase, and nulls written out, so every object of a kind has
 * the same keys. One {@link Jsonb} for the application (it is thread-safe and costly to build).
 */
@Provider
public class JsonConfig implements ContextResolver<Jsonb> {

    static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .withNullValues(true));

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }
}
