package dev.berth.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Networks and attached containers, persisted as one JSON file ({@code <state>/state.json}), written to a
 * temporary file and renamed so a crash leaves the old or the new state, never half of one. The IP address
 * allocations are the endpoints in this file: an engine restart keeps every running container's address.
 */
final class NetworkState {

    record Snapshot(List<Network> networks, List<ContainerNetwork> containers) {
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    NetworkState(Path stateDir) {
        this.file = stateDir.resolve("state.json");
    }

    Snapshot load() {
        if (!Files.exists(file)) {
            return new Snapshot(new ArrayList<>(), new ArrayList<>());
        }
        try {
            Snapshot s = json.readValue(file.toFile(), Snapshot.class);
            return new Snapshot(new ArrayList<>(s.networks()), new ArrayList<>(s.containers()));
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "network_state_unreadable",
                    "Cannot read the network state " + file + ": " + e.getMessage()
                            + ". Fix or move the file away (networks will then be recreated empty).", e);
        }
    }

    void save(Snapshot s) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            Files.write(tmp, json.writeValueAsBytes(s));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(Reason.INSUFFICIENT_STORAGE, "network_state_unwritable",
                    "Cannot write the network state " + file + ": " + e.getMessage(), e);
        }
    }
}
