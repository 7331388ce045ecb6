package dev.berth.web.network;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code berth.network.*}: how the engine's network layer is set up. */
@ConfigMapping(prefix = "berth.network")
public interface NetworkSettings {

    /**
     * Host address of published ports that name none. Docker's default, 0.0.0.0, exposes them on every
     * interface; set 127.0.0.1 on a machine reachable from an untrusted network.
     */
    @WithDefault("0.0.0.0")
    String defaultHostIp();

    /** Pool of addresses that network subnets are taken from. */
    @WithDefault("172.30.0.0/16")
    String pool();

    /** Prefix length of each network's subnet. */
    @WithDefault("24")
    int subnetSize();

    /** Prefix of bridges ({@code berth0}, {@code berth-1a2b3c4d}), veths and of the nftables table. */
    @WithDefault("berth")
    String namePrefix();

    /** Where network state lives; default {@code <engine root>/network}. */
    Optional<String> stateDir();

    /** Restore bridges, rules and published ports when Berth starts (off in tests until a test asks). */
    @WithDefault("true")
    boolean restoreAtStart();

    /** Remove bridges and rules when Berth stops (tests only: containers normally outlive Berth). */
    @WithDefault("false")
    boolean teardownAtStop();
}
