package dev.berth.web.network;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** {@code berth.ports.*}: the console's port links. */
@ConfigMapping(prefix = "berth.ports")
public interface PortLinkSettings {

    /**
     * With wildcard DNS for {@code *.<base domain>} pointing at Berth, {@code http://8080-web.<base domain>/}
     * reaches port 8080 of container {@code web} at the root path, so absolute links work. Unset: only
     * {@code /ports/{container}/{port}/} links.
     */
    Optional<String> baseDomain();

    /**
     * Cookies of the console that must never reach a container (session cookies): stripped from proxied
     * requests. The Authorization header is always stripped.
     */
    @io.smallrye.config.WithDefault("quarkus-credential,berth_session,JSESSIONID")
    java.util.List<String> privateCookies();
}
