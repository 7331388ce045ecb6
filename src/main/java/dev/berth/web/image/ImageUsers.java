package dev.berth.web.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.image.ImageSummary;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Which containers use which image, for the image list. Admins see every container's name; other users see
 * their own containers (label {@code dev.berth.owner}) by name and the rest only as a count, so the list never
 * leaks the names of other users' containers.
 */
@ApplicationScoped
public class ImageUsers {
    static final String OWNER_LABEL = "dev.berth.owner";

    @Inject
    Instance<ContainerService> containers;

    public List<ImageListItem> describe(List<ImageSummary> images, SecurityIdentity caller) {
        Map<String, List<ContainerSummary>> byImage = new HashMap<>();
        if (containers.isResolvable()) {
            for (ContainerSummary c : containers.get().list(new ContainerFilters(true, Map.of()))) {
                byImage.computeIfAbsent(c.imageId(), k -> new ArrayList<>()).add(c);
            }
        }
        boolean admin = caller.hasRole("admin");
        String name = caller.isAnonymous() ? null : caller.getPrincipal().getName();
        List<ImageListItem> out = new ArrayList<>(images.size());
        for (ImageSummary image : images) {
            List<ImageListItem.ContainerRef> visible = new ArrayList<>();
            int hidden = 0;
            for (ContainerSummary c : byImage.getOrDefault(image.id(), List.of())) {
                String owner = c.labels() == null ? null : c.labels().get(OWNER_LABEL);
                if (admin || (name != null && name.equals(owner))) {
                    visible.add(new ImageListItem.ContainerRef(c.id(), c.name()));
                } else {
                    hidden++;
                }
            }
            out.add(new ImageListItem(image.id(), image.tags(), image.repoDigests(), image.size(), image.created(),
                    visible, hidden));
        }
        return out;
    }
}
