package dev.berth.testsupport;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the resources every {@code @QuarkusTest} shares (one application start for the whole suite). */
@QuarkusTestResource(EmbeddedDatabaseResource.class)
public final class GlobalTestResources {
    private GlobalTestResources() {
    }
}
