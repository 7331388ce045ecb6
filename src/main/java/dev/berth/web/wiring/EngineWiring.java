package dev.berth.web.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.berth.engine.container.ContainerNetworking;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.wiring.NetworkServiceNetworking;

/**
 * Joins engine areas that do not know each other: the container lifecycle gets its networking from the network
 * layer through {@link NetworkServiceNetworking}. Start-up order follows from the injection graph: image store,
 * network service, then the container service (which re-adopts running containers and restores their networking).
 */
@ApplicationScoped
public class EngineWiring {

    @Produces
    @Singleton
    ContainerNetworking containerNetworking(NetworkService networks) {
        return new NetworkServiceNetworking(networks);
    }
}
