package dev.berth.workspace;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.engine.container.ContainerService;
import dev.berth.terminal.TerminalRegistry;

/** CDI wiring of workspaces, the capacity guard and the reaper (settings: berth.workspace.* in application.properties). */
@ApplicationScoped
public class WorkspaceBeans {
    @Produces
    @Singleton
    CapacityGuard guard(@ConfigProperty(name = "berth.workspace.max-active", defaultValue = "100") int maxActive,
            @ConfigProperty(name = "berth.workspace.min-free-memory", defaultValue = "268435456") long minFreeMemory) {
        return new CapacityGuard(HostMemory.system(), maxActive, minFreeMemory);
    }

    @Produces
    @Singleton
    WorkspaceService workspaces(ContainerService containers, TerminalRegistry terminals, CapacityGuard guard,
            @ConfigProperty(name = "berth.workspace.min-ttl", defaultValue = "PT1M") Duration minTtl,
            @ConfigProperty(name = "berth.workspace.max-ttl", defaultValue = "P1D") Duration maxTtl) {
        return new WorkspaceService(containers, terminals, guard, Clock.systemUTC(), minTtl, maxTtl);
    }
}
