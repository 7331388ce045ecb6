package dev.berth.web.ownership;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerInspect;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;
import dev.berth.ownership.Access;
import dev.berth.ownership.OwnedResource;
import dev.berth.ownership.Owners;
import dev.berth.ownership.Ownership;
import dev.berth.ownership.Requester;
import dev.berth.ownership.ResourceKind;
import dev.berth.web.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The web layer's ownership checks for the current request. An object the caller may not read answers exactly as
 * a missing one (same status, code and message: no existence leak); an object the caller may read but not change
 * answers 403 {@code forbidden}.
 */
@ApplicationScoped
public class AccessGuard {
    @Inject
    Ownership ownership;
    @Inject
    SecurityIdentity identity;
    @Inject
    ContainerService containers;
    @Inject
    VolumeService volumes;
    @Inject
    Instance<NetworkService> networks;

    public Requester requester() {
        return requester(identity);
    }

    public static Requester requester(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return new Requester(null, java.util.Set.of());
        }
        return new Requester(identity.getPrincipal().getName(), identity.getRoles());
    }

    public String user() {
        return requester().name();
    }

    public boolean admin() {
        return requester().admin();
    }

    // ------------------------------------------------------------------ containers

    public static OwnedResource container(ContainerInspect c) {
        return OwnedResource.labelled(ResourceKind.CONTAINER, c.Id(), c.Name(), c.Config().Labels());
    }

    public static OwnedResource container(ContainerSummary c) {
        return OwnedResource.labelled(ResourceKind.CONTAINER, c.id(), c.name(), c.labels());
    }

    public Access access(ContainerInspect c) {
        return ownership.access(requester(), container(c));
    }

    /** The container named by {@code idOrName} when the caller may read it; else the engine's own 404. */
    public ContainerInspect readContainer(String idOrName) {
        ContainerInspect c = containers.inspect(idOrName);
        if (!access(c).atLeast(Access.READ)) {
            throw containerNotFound(idOrName);
        }
        return c;
    }

    /** The container's id when the caller may change it; 404 when they may not read it, 403 when they only read it. */
    public String controlContainer(String idOrName) {
        ContainerInspect c = containers.inspect(idOrName);
        Access a = access(c);
        if (!a.atLeast(Access.READ)) {
            throw containerNotFound(idOrName);
        }
        if (a != Access.CONTROL) {
            throw ApiException.forbidden("You may watch container " + c.Name() + " but not change it: it belongs to "
                    + Owners.of(c.Config().Labels()) + ". Ask them or an administrator.");
        }
        return c.Id();
    }

    public boolean mayRead(ContainerSummary c) {
        return ownership.mayRead(requester(), container(c));
    }

    public List<ContainerSummary> visibleContainers(List<ContainerSummary> all) {
        Requester who = requester();
        return all.stream().filter(c -> ownership.mayRead(who, container(c))).toList();
    }

    /** The same answer the engine gives for a container that does not exist. */
    public static EngineException containerNotFound(String idOrName) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "container_not_found", "No such container: '" + idOrName
                + "'. List containers with GET /api/containers?all=true.");
    }

    // ------------------------------------------------------------------ volumes

    /** A volume's owner: its label, or for an anonymous volume the owner of a container using it. */
    public OwnedResource volume(Volume v) {
        String owner = Owners.of(v.labels());
        if (owner == null && v.anonymous()) {
            for (String id : volumes.usedBy(v.name())) {
                try {
                    owner = Owners.of(containers.inspect(id).Config().Labels());
                } catch (EngineException gone) {
                    continue;
                }
                if (owner != null) {
                    break;
                }
            }
        }
        return new OwnedResource(ResourceKind.VOLUME, v.name(), v.name(), v.labels(), owner, false);
    }

    public Volume readVolume(String name) {
        Volume v = volumes.inspect(name);
        if (!ownership.mayRead(requester(), volume(v))) {
            throw volumeNotFound(name);
        }
        return v;
    }

    public Volume controlVolume(String name) {
        Volume v = volumes.inspect(name);
        OwnedResource r = volume(v);
        Access a = ownership.access(requester(), r);
        if (!a.atLeast(Access.READ)) {
            throw volumeNotFound(name);
        }
        if (a != Access.CONTROL) {
            throw ApiException.forbidden("You may use volume " + name + " but not change it: it belongs to " + r.owner() + ".");
        }
        return v;
    }

    /** For a container mount: the caller may use an existing volume they control; a missing one is theirs to create. */
    public Optional<Volume> mountableVolume(String name) {
        Optional<Volume> v = volumes.find(name);
        if (v.isPresent()) {
            controlVolume(name);
        }
        return v;
    }

    public boolean mayRead(Volume v) {
        return ownership.mayRead(requester(), volume(v));
    }

    public static EngineException volumeNotFound(String name) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "volume_not_found",
                "No such volume: '" + name + "'. List volumes with GET /api/volumes or create it first.");
    }

    // ------------------------------------------------------------------ networks

    /** Built-in networks (the default bridge) are host-wide: everyone may attach containers to them. */
    public static OwnedResource network(Network n) {
        return new OwnedResource(ResourceKind.NETWORK, n.id(), n.name(), n.labels(), Owners.of(n.labels()), n.builtin());
    }

    public Access access(Network n) {
        return ownership.access(requester(), network(n));
    }

    public Network readNetwork(String nameOrId) {
        Network n = networks.get().inspect(nameOrId).network();
        if (!access(n).atLeast(Access.READ)) {
            throw networkNotFound(nameOrId);
        }
        return n;
    }

    public Network controlNetwork(String nameOrId) {
        Network n = networks.get().inspect(nameOrId).network();
        Access a = access(n);
        if (!a.atLeast(Access.READ)) {
            throw networkNotFound(nameOrId);
        }
        if (a != Access.CONTROL) {
            throw ApiException.forbidden(n.builtin()
                    ? "The built-in network " + n.name() + " belongs to the host; only administrators may change it."
                    : "You may use network " + n.name() + " but not change it: it belongs to " + Owners.of(n.labels()) + ".");
        }
        return n;
    }

    public static EngineException networkNotFound(String nameOrId) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "network_not_found",
                "Network '" + nameOrId + "' does not exist; list networks with GET /api/networks or create it.");
    }
}
