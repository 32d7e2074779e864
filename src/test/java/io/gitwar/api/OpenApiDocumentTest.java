package io.gitwar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document says what the resources do: the same operations, the same JSON keys. */
class OpenApiDocumentTest {

    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "get", POST.class, "post",
            PUT.class, "put", PATCH.class, "patch", DELETE.class, "delete");

    @Test
    void everyOperationOfTheResourcesIsDocumentedAndNoOther() throws Exception {
        Set<String> implemented = new TreeSet<>();
        for (Class<?> resource : List.of(RepositoriesResource.class, OpenApiResource.class, HooksResource.class,
                RepositoryHooksResource.class, ClusterResource.class)) {
            String base = "/" + resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                for (var e : METHODS.entrySet()) {
                    if (m.isAnnotationPresent(e.getKey())) {
                        Path sub = m.getAnnotation(Path.class);
                        String path = base + (sub == null ? "" : "/" + sub.value());
                        implemented.add(e.getValue() + " " + path.replace("{name: .+\\.git}", "{name}.git"));
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        JsonObject paths = document().getJsonObject("paths");
        for (String path : paths.keySet()) {
            for (String key : paths.getJsonObject(path).keySet()) {
                if (METHODS.containsValue(key)) {
                    documented.add(key + " " + path);
                }
            }
        }
        assertEquals(implemented, documented);
    }

    @Test
    void theSchemasHaveTheRecordsKeys() throws Exception {
        JsonObject schemas = document().getJsonObject("components").getJsonObject("schemas");
        Map<String, Class<?>> records = Map.of("Summary", io.gitwar.api.Json.Summary.class,
                "Repository", io.gitwar.api.Json.Details.class, "Page", io.gitwar.api.Json.Page.class,
                "NewRepository", io.gitwar.api.Json.NewRepository.class, "Changes", io.gitwar.api.Json.Changes.class,
                "Fork", io.gitwar.api.Json.Fork.class, "Accepted", io.gitwar.api.Json.Accepted.class,
                "FsckReport", io.gitwar.api.Json.FsckReport.class, "Error", ApiErrors.Error.class);
        records = new java.util.HashMap<>(records);
        records.putAll(Map.of("HookSettings", io.gitwar.api.Json.HookSettings.class, "Hook", io.gitwar.api.Json.Hook.class,
                "HookList", io.gitwar.api.Json.HookList.class, "Delivery", io.gitwar.api.Json.Delivery.class,
                "Deliveries", io.gitwar.api.Json.Deliveries.class, "Redelivery", io.gitwar.api.Json.Redelivery.class,
                "MoveTo", io.gitwar.api.Json.MoveTo.class, "Moved", io.gitwar.api.Json.Moved.class,
                "Rebalanced", io.gitwar.api.Json.Rebalanced.class));
        records.forEach((schema, type) -> {
            Set<String> keys = new TreeSet<>();
            for (RecordComponent c : type.getRecordComponents()) {
                keys.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase());
            }
            assertEquals(keys, new TreeSet<>(schemas.getJsonObject(schema).getJsonObject("properties").keySet()), schema);
        });
    }

    static JsonObject document() throws Exception {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT);
                JsonReader r = Json.createReader(in)) {
            return r.readObject();
        }
    }
}
