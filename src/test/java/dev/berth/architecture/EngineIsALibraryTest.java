package dev.berth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The engine is a plain Java library: it never depends on Quarkus, HTTP, accounts, terminals or the web layer. */
class EngineIsALibraryTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.berth");

    @Test
    void engineDoesNotImportFrameworkOrConsoleCode() {
        noClasses().that().resideInAPackage("dev.berth.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.vertx..", "jakarta.ws.rs..", "jakarta.servlet..", "jakarta.enterprise..",
                        "jakarta.inject..", "jakarta.persistence..", "org.jboss.resteasy..", "io.smallrye..",
                        "org.hibernate..", "dev.berth.web..", "dev.berth.account..", "dev.berth.auth..",
                        "dev.berth.terminal..", "dev.berth.share..", "dev.berth.audit..", "dev.berth.workspace..",
                        "dev.berth.database..")
                .because("dev.berth.engine is a plain-Java library that a Docker-compatible API will reuse")
                .check(CLASSES);
    }

    @Test
    void theRuleSeesTheEngine() {
        // Guards against the rule above passing vacuously because the engine package was not imported.
        org.assertj.core.api.Assertions.assertThat(CLASSES.stream()
                .anyMatch(c -> c.getPackageName().startsWith("dev.berth.engine"))).isTrue();
    }
}
