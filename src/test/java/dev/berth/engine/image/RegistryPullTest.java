package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.engine.EngineException;
import dev.berth.engine.image.TestImage.Compression;

/** Pulls from a real Debian docker-registry on 127.0.0.1 with images the test builds and pushes itself. */
class RegistryPullTest {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    static Path shared;
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(shared.resolve("registry"), false);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    ImageStore store(Path root) {
        return new ImageStore(root, RegistrySettings.defaults(), ImageUsage.NONE);
    }

    static String await(ImagePull pull) {
        try {
            return pull.result().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** busybox + files; then a zstd layer with a whiteout and an opaque dir; then an uncompressed layer. */
    static TestImage multiLayer() {
        return new TestImage()
                .layer(Tars.tar().dir("bin").hostFile("bin/busybox", BUSYBOX, 0755).symlink("bin/sh", "busybox")
                        .file("etc/hostname", "base").file("etc/remove-me", "old")
                        .dir("var/cache").file("var/cache/old-entry", "old").bytes(), Compression.GZIP)
                .layer(Tars.tar().whiteout("etc", "remove-me").dir("var/cache").opaque("var/cache")
                        .file("var/cache/new-entry", "new").file("srv/app.txt", "v2").bytes(), Compression.ZSTD)
                .layer(Tars.tar().file("srv/config.txt", "top").bytes(), Compression.NONE);
    }

    @Test
    void pullsAMultiLayerImageWithWhiteoutsOpaqueDirsAndAZstdLayer() throws Exception {
        TestImage image = multiLayer();
        image.push(registry.pusher(), "test/multi", "v1", true);
        ImageStore store = store(tmp.resolve("engine"));
        String ref = registry.host() + "/test/multi:v1";
        ImagePull pull = store.pull(ref);
        List<ImagePull.Event> events = new ArrayList<>();
        pull.subscribe(events::add);
        assertThat(await(pull)).isEqualTo(image.id());

        LocalImage local = store.resolve(ref);
        assertThat(local.id()).isEqualTo(image.id());
        assertThat(local.reference()).isEqualTo(ref);
        assertThat(local.config().env()).containsExactly("PATH=/bin", "GREETING=hello");
        assertThat(local.config().cmd()).containsExactly("/bin/sh");
        assertThat(local.config().workingDir()).isEqualTo("/srv");
        assertThat(local.config().user()).isEqualTo("1000:1000");
        assertThat(local.config().exposedPorts()).containsExactly("8080/tcp");
        assertThat(local.config().volumes()).containsExactly("/data");
        assertThat(local.config().labels()).containsEntry("org.example.test", "yes");
        List<Path> dirs = local.layerDirs();
        assertThat(dirs).hasSize(3);
        assertThat(Files.size(dirs.get(0).resolve("bin/busybox"))).isEqualTo(Files.size(BUSYBOX));
        assertThat(Files.readSymbolicLink(dirs.get(0).resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        BasicFileAttributes wh = Files.readAttributes(dirs.get(1).resolve("etc/remove-me"), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertThat(wh.isOther()).isTrue();
        assertThat(LayerApplierTest.xattr(dirs.get(1).resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
        assertThat(Files.readString(dirs.get(2).resolve("srv/config.txt"))).isEqualTo("top");
        assertThat(local.overlayLowerDirs()).isEqualTo(dirs.get(2) + ":" + dirs.get(1) + ":" + dirs.get(0));

        assertThat(events).extracting(ImagePull.Event::status).contains("downloading", "verifying", "done", "complete");
        assertThat(events.get(events.size() - 1).terminal()).isTrue();
        // a late watcher gets the current state: every layer done, then complete
        List<ImagePull.Event> late = new ArrayList<>();
        pull.subscribe(late::add);
        assertThat(late).filteredOn(e -> e.layer() != null).hasSize(3).allMatch(e -> e.status().equals("done"));
        assertThat(late.get(late.size() - 1).status()).isEqualTo("complete");

        ImageDetails details = store.inspect(ref);
        assertThat(details.layers()).hasSize(3);
        assertThat(details.history()).hasSize(3);
        assertThat(details.architecture()).isEqualTo("amd64");
        assertThat(details.repoDigests()).hasSize(1);
        assertThat(store.list()).extracting(ImageSummary::id).containsExactly(image.id());
        // the pulled repo digest resolves too, and so does the short id
        assertThat(store.resolve(details.repoDigests().get(0)).id()).isEqualTo(image.id());
        assertThat(store.resolve(image.id().substring(7, 19)).id()).isEqualTo(image.id());

        // pulling again downloads nothing new
        ImagePull again = store.pull(ref);
        assertThat(await(again)).isEqualTo(image.id());
        assertThat(again.snapshot()).filteredOn(e -> e.layer() != null).allMatch(e -> e.message().equals("already present"));
    }

    @Test
    void selectsTheHostPlatformFromADockerManifestList() throws Exception {
        TestImage amd = multiLayer().label("platform", "amd64");
        TestImage arm = multiLayer().label("platform", "arm64").architecture("arm64");
        String amdDigest = amd.push(registry.pusher(), "test/list", "amd64", false);
        String armDigest = arm.push(registry.pusher(), "test/list", "arm64", false);
        ObjectNode list = TestImage.JSON.createObjectNode();
        list.put("schemaVersion", 2);
        list.put("mediaType", MediaTypes.DOCKER_LIST);
        ArrayNode ms = list.putArray("manifests");
        addEntry(ms, MediaTypes.DOCKER_MANIFEST, armDigest, arm.manifest(false, true).length, "arm64", null);
        addEntry(ms, MediaTypes.DOCKER_MANIFEST, amdDigest, amd.manifest(false, true).length, "amd64", null);
        registry.pusher().manifest("test/list", "multi", MediaTypes.DOCKER_LIST, TestImage.JSON.writeValueAsBytes(list));
        ImageStore store = store(tmp.resolve("engine"));
        String id = await(store.pull(registry.host() + "/test/list:multi"));
        assertThat(id).isEqualTo(amd.id());
        assertThat(store.resolve(registry.host() + "/test/list:multi").config().labels()).containsEntry("platform", "amd64");
    }

    @Test
    void selectsFromAnOciIndexWithOrWithoutMediaTypeSkippingAttestations() throws Exception {
        TestImage img = multiLayer().label("kind", "oci");
        String digest = img.push(registry.pusher(), "test/oci", "plain", true);
        int size = img.manifest(true, true).length;
        // an attestation manifest (an OCI manifest with platform unknown/unknown), listed first
        TestImage att = new TestImage().layer(Tars.tar().file("attestation.json", "{}").bytes(), Compression.NONE);
        String attDigest = att.push(registry.pusher(), "test/oci", "att", true);
        for (boolean withType : new boolean[]{true, false}) {
            ObjectNode index = TestImage.JSON.createObjectNode();
            index.put("schemaVersion", 2);
            if (withType) {
                index.put("mediaType", MediaTypes.OCI_INDEX);
            }
            ArrayNode ms = index.putArray("manifests");
            ObjectNode a = addEntry(ms, MediaTypes.OCI_MANIFEST, attDigest, att.manifest(true, true).length, "unknown", "unknown");
            a.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
                    .put("vnd.docker.reference.digest", digest);
            addEntry(ms, MediaTypes.OCI_MANIFEST, digest, size, "amd64", null);
            String tag = withType ? "index" : "index-bare";
            registry.pusher().manifest("test/oci", tag, MediaTypes.OCI_INDEX, TestImage.JSON.writeValueAsBytes(index));
            ImageStore store = store(tmp.resolve("engine-" + tag));
            assertThat(await(store.pull(registry.host() + "/test/oci:" + tag))).isEqualTo(img.id());
        }
    }

    private static ObjectNode addEntry(ArrayNode ms, String type, String digest, int size, String arch, String os) {
        ObjectNode e = ms.addObject();
        e.put("mediaType", type);
        e.put("digest", digest);
        e.put("size", size);
        e.putObject("platform").put("architecture", arch).put("os", os == null ? "linux" : os);
        return e;
    }

    @Test
    void concurrentPullsShareOnePullAndEachLayerDownloadsOnce() throws Exception {
        TestImage img = new TestImage()
                .layer(Tars.tar().file("big1", random(2 << 20, 1), 0644).bytes(), Compression.GZIP)
                .layer(Tars.tar().file("big2", random(2 << 20, 2), 0644).bytes(), Compression.GZIP);
        img.push(registry.pusher(), "test/shared", "a", false);
        img.push(registry.pusher(), "test/shared", "b", false);
        try (CuttingProxy proxy = new CuttingProxy(registry.url())) {
            ImageStore store = store(tmp.resolve("engine"));
            ImagePull p1 = store.pull(proxy.host() + "/test/shared:a");
            ImagePull p2 = store.pull(proxy.host() + "/test/shared:a");
            ImagePull p3 = store.pull(proxy.host() + "/test/shared:b");
            assertThat(p2).isSameAs(p1);
            assertThat(await(p1)).isEqualTo(img.id());
            assertThat(await(p3)).isEqualTo(img.id());
            for (TestImage.Layer l : img.layers()) {
                assertThat(proxy.count("GET /v2/test/shared/blobs/" + Digests.of(l.blob()))).isEqualTo(1);
            }
            assertThat(store.resolve(proxy.host() + "/test/shared:b").id()).isEqualTo(img.id());
        }
    }

    @Test
    void aPullInterruptedMidLayerResumesWithARangeRequest() throws Exception {
        byte[] payload = random(6 << 20, 3);
        TestImage img = new TestImage().layer(Tars.tar().file("payload", payload, 0644).bytes(), Compression.GZIP);
        img.push(registry.pusher(), "test/resume", "v1", false);
        String layerDigest = Digests.of(img.layers().get(0).blob());
        try (CuttingProxy proxy = new CuttingProxy(registry.url())) {
            proxy.cutAfter = 2 << 20;
            proxy.cutsLeft.set(1);
            ImageStore store = store(tmp.resolve("engine"));
            String id = await(store.pull(proxy.host() + "/test/resume:v1"));
            assertThat(id).isEqualTo(img.id());
            List<String> gets = proxy.log.stream().filter(l -> l.startsWith("GET /v2/test/resume/blobs/" + layerDigest)).toList();
            assertThat(gets).hasSize(2);
            assertThat(gets.get(0)).doesNotContain("bytes=");
            assertThat(gets.get(1)).matches(".* bytes=[1-9][0-9]*-");
            assertThat(Files.readAllBytes(store.resolve(id).layerDirs().get(0).resolve("payload"))).isEqualTo(payload);
        }
    }

    @Test
    void leftoversOfACrashedPullDoNotBreakTheNextPull() throws Exception {
        TestImage img = multiLayer();
        img.push(registry.pusher(), "test/crash", "v1", true);
        Path root = tmp.resolve("engine");
        store(root);
        // what a crash can leave: a half-unpacked work dir and a partial download with wrong bytes
        Files.createDirectories(root.resolve("tmp/layer-crashed/etc"));
        Files.writeString(root.resolve("tmp/layer-crashed/etc/half"), "x");
        String firstLayer = Digests.of(img.layers().get(0).blob());
        Files.write(root.resolve("partial/" + Digests.hex(firstLayer)), random(1000, 4));
        // and a download that had received every byte (the registry answers 416 to the resume request)
        byte[] lastBlob = img.layers().get(2).blob();
        Files.write(root.resolve("partial/" + Digests.hex(Digests.of(lastBlob))), lastBlob);
        ImageStore store = store(root);
        assertThat(Files.exists(root.resolve("tmp/layer-crashed"))).isFalse();
        assertThat(await(store.pull(registry.host() + "/test/crash:v1"))).isEqualTo(img.id());
        assertThat(Files.size(store.resolve(img.id()).layerDirs().get(0).resolve("bin/busybox"))).isEqualTo(Files.size(BUSYBOX));
    }

    @Test
    void unknownRepositoryOrTagIsNotFoundAndNamesTheReference() throws Exception {
        multiLayer().push(registry.pusher(), "test/known", "v1", false);
        ImageStore store = store(tmp.resolve("engine"));
        for (String ref : new String[]{registry.host() + "/test/nope:v1", registry.host() + "/test/known:v404"}) {
            assertThatThrownBy(() -> await(store.pull(ref))).isInstanceOf(EngineException.class)
                    .hasMessageContaining(ImageReference.parse(ref).familiar())
                    .satisfies(e -> assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.NOT_FOUND));
        }
        assertThatThrownBy(() -> store.resolve("test/never-pulled")).isInstanceOf(EngineException.class)
                .hasMessageContaining("test/never-pulled");
    }

    @Test
    void unreachableRegistryNamesTheHost() throws Exception {
        int closed = TestRegistry.freePort();
        ImageStore store = store(tmp.resolve("engine"));
        assertThatThrownBy(() -> await(store.pull("127.0.0.1:" + closed + "/x/y:1"))).isInstanceOf(EngineException.class)
                .hasMessageContaining("127.0.0.1:" + closed)
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("registry_unreachable"));
    }

    @Test
    void basicAuthRegistryNeedsAndChecksCredentials() throws Exception {
        try (TestRegistry secured = TestRegistry.start(tmp.resolve("secured"), true)) {
            TestImage img = multiLayer();
            img.push(secured.pusher(), "private/app", "v1", false);
            String ref = secured.host() + "/private/app:v1";
            ImageStore anonymous = store(tmp.resolve("anon"));
            assertThatThrownBy(() -> await(anonymous.pull(ref))).isInstanceOf(EngineException.class)
                    .hasMessageContaining(secured.host())
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("registry_auth_required"));
            ImageStore wrong = new ImageStore(tmp.resolve("wrong"), RegistrySettings.defaults().withCredentials(
                    Map.of(secured.host(), new RegistrySettings.Credentials(TestRegistry.USER, "wrong"))), ImageUsage.NONE);
            assertThatThrownBy(() -> await(wrong.pull(ref))).isInstanceOf(EngineException.class)
                    .hasMessageContaining(secured.host()).hasMessageNotContaining("wrong")
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("registry_credentials_rejected"));
            ImageStore right = new ImageStore(tmp.resolve("right"), RegistrySettings.defaults().withCredentials(
                    Map.of(secured.host(), new RegistrySettings.Credentials(TestRegistry.USER, TestRegistry.PASSWORD))), ImageUsage.NONE);
            assertThat(await(right.pull(ref))).isEqualTo(img.id());
        }
    }

    @Test
    void digestMismatchIsRefusedAndLeavesNothingBehind() throws Exception {
        TestImage img = new TestImage().layer(Tars.tar().file("data", random(100_000, 5), 0644).bytes(), Compression.GZIP);
        img.push(registry.pusher(), "test/corrupt", "v1", false);
        byte[] blob = img.layers().get(0).blob();
        Path stored = registry.blobData(Digests.of(blob));
        byte[] tampered = blob.clone();
        tampered[tampered.length / 2] ^= 0x55;
        Files.write(stored, tampered);
        try {
            Path root = tmp.resolve("engine");
            ImageStore store = store(root);
            assertThatThrownBy(() -> await(store.pull(registry.host() + "/test/corrupt:v1")))
                    .isInstanceOf(EngineException.class).hasMessageContaining(Digests.of(blob))
                    .satisfies(e -> assertThat(((EngineException) e).code()).isIn("digest_mismatch", "invalid_layer"));
            assertThat(listNames(root.resolve("layers"))).isEmpty();
            assertThat(listNames(root.resolve("partial"))).isEmpty();
            assertThat(listNames(root.resolve("tmp"))).isEmpty();
            assertThat(store.list()).isEmpty();
        } finally {
            Files.write(stored, blob);
        }
    }

    @Test
    void unsupportedLayerMediaTypeIsRefusedNamingIt() throws Exception {
        TestImage img = multiLayer().layerMediaType("application/vnd.example.layer.v1+squashfs");
        img.pushBlobs(registry.pusher(), "test/odd");
        registry.pusher().manifest("test/odd", "v1", MediaTypes.OCI_MANIFEST, img.manifest(true, true));
        ImageStore store = store(tmp.resolve("engine"));
        assertThatThrownBy(() -> await(store.pull(registry.host() + "/test/odd:v1"))).isInstanceOf(EngineException.class)
                .hasMessageContaining("application/vnd.example.layer.v1+squashfs")
                .satisfies(e -> assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.UNSUPPORTED));
    }

    @Test
    void diskFullMidPullFailsCleanly() throws Exception {
        TestImage img = new TestImage().layer(Tars.tar().file("big", random(3 << 20, 6), 0644).bytes(), Compression.GZIP);
        img.push(registry.pusher(), "test/big", "v1", false);
        Path mount = Files.createDirectories(tmp.resolve("small-fs"));
        run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        try {
            Path root = mount.resolve("engine");
            ImageStore store = store(root);
            assertThatThrownBy(() -> await(store.pull(registry.host() + "/test/big:v1"))).isInstanceOf(EngineException.class)
                    .hasMessageContaining("disk space")
                    .satisfies(e -> assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.INSUFFICIENT_STORAGE));
            assertThat(listNames(root.resolve("layers"))).isEmpty();
            assertThat(listNames(root.resolve("partial"))).isEmpty();
            assertThat(listNames(root.resolve("tmp"))).isEmpty();
            assertThat(store.list()).isEmpty();
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void tagRemoveRefusesInUseImagesAndCollectsGarbage() throws Exception {
        TestImage img = multiLayer();
        img.push(registry.pusher(), "test/rm", "v1", false);
        Path root = tmp.resolve("engine");
        Set<String> inUse = new java.util.concurrent.CopyOnWriteArraySet<>();
        ImageStore store = new ImageStore(root, RegistrySettings.defaults(),
                id -> inUse.contains(id) ? List.of("web-1") : List.of());
        String ref = registry.host() + "/test/rm:v1";
        await(store.pull(ref));
        store.tag(ref, "local/alias:2");
        assertThat(store.resolve("local/alias:2").id()).isEqualTo(img.id());
        assertThat(store.inspect(ref).tags()).containsExactlyInAnyOrder(
                "docker.io/local/alias:2", registry.host() + "/test/rm:v1");

        inUse.add(img.id());
        // removing one of two tags is fine even while in use
        assertThat(store.remove("local/alias:2", false).untagged()).containsExactly("docker.io/local/alias:2");
        assertThatThrownBy(() -> store.remove(ref, false)).isInstanceOf(EngineException.class)
                .hasMessageContaining("web-1")
                .satisfies(e -> assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.CONFLICT));
        assertThat(listNames(root.resolve("layers"))).hasSize(3);
        // forced while in use: the name goes, the image and its layers stay for the container (Docker's rule)
        ImageStore.RemoveResult forced = store.remove(ref, true);
        assertThat(forced.untagged()).containsExactly(ref);
        assertThat(forced.deleted()).isEmpty();
        assertThat(store.list()).extracting(ImageSummary::id).containsExactly(img.id());
        assertThat(store.list().get(0).tags()).isEmpty();
        assertThat(store.resolve(img.id()).layerDirs()).hasSize(3).allSatisfy(d -> assertThat(d).isDirectory());
        assertThat(listNames(root.resolve("layers"))).hasSize(3);

        inUse.clear();
        ImageStore.RemoveResult removed = store.remove(img.id(), false);
        assertThat(removed.deleted()).containsExactly(img.id());
        assertThat(store.list()).isEmpty();
        assertThat(listNames(root.resolve("layers"))).isEmpty();
        assertThat(listNames(root.resolve("blobs/sha256"))).isEmpty();
    }

    @Test
    void exportThenImportRoundTripsAsDockerSaveAndOciLayout() throws Exception {
        TestImage img = multiLayer();
        img.push(registry.pusher(), "test/export", "v1", true);
        ImageStore source = store(tmp.resolve("source"));
        String ref = registry.host() + "/test/export:v1";
        await(source.pull(ref));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        source.exportArchive(List.of(ref), out);

        ImageStore target = store(tmp.resolve("target"));
        assertThat(target.importArchive(new ByteArrayInputStream(out.toByteArray()))).containsExactly(ref);
        LocalImage loaded = target.resolve(ref);
        assertThat(loaded.id()).isEqualTo(img.id());
        assertThat(Files.readString(loaded.layerDirs().get(2).resolve("srv/config.txt"))).isEqualTo("top");

        // the same archive without manifest.json is a pure OCI layout: import that too
        byte[] ociOnly = withoutEntry(out.toByteArray(), "manifest.json");
        ImageStore oci = store(tmp.resolve("oci"));
        assertThat(oci.importArchive(new ByteArrayInputStream(ociOnly))).containsExactly(ref);
        assertThat(oci.resolve(ref).id()).isEqualTo(img.id());
    }

    @Test
    void importsAClassicDockerSaveTarball() throws Exception {
        TestImage img = multiLayer();
        // docker save (before Docker 25): <id>.json, <layer>/layer.tar (uncompressed), manifest.json, repositories
        Tars save = Tars.tar();
        byte[] config = img.configBytes();
        save.file(Digests.hex(img.id()) + ".json", config, 0644);
        ArrayNode layers = TestImage.JSON.createArrayNode();
        int i = 0;
        for (TestImage.Layer l : img.layers()) {
            String dir = "layer" + (i++);
            save.dir(dir).file(dir + "/layer.tar", l.tar(), 0644).file(dir + "/VERSION", "1.0");
            layers.add(dir + "/layer.tar");
        }
        ArrayNode manifest = TestImage.JSON.createArrayNode();
        ObjectNode m = manifest.addObject();
        m.put("Config", Digests.hex(img.id()) + ".json");
        m.putArray("RepoTags").add("saved/app:1");
        m.set("Layers", layers);
        save.file("manifest.json", TestImage.JSON.writeValueAsBytes(manifest), 0644);
        ImageStore store = store(tmp.resolve("engine"));
        assertThat(store.importArchive(new ByteArrayInputStream(save.bytes()))).containsExactly("docker.io/saved/app:1");
        LocalImage local = store.resolve("saved/app:1");
        assertThat(local.id()).isEqualTo(img.id());
        assertThat(local.layerDirs()).hasSize(3);
        assertThat(Files.readAttributes(local.layerDirs().get(1).resolve("etc/remove-me"), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
    }

    @Test
    void importsAnOciLayoutWithARefNameAndNoMediaType() throws Exception {
        TestImage img = multiLayer();
        Tars layout = Tars.tar().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] manifest = img.manifest(true, false);
        for (byte[] b : img.blobs()) {
            layout.file("blobs/sha256/" + Digests.hex(Digests.of(b)), b, 0644);
        }
        layout.file("blobs/sha256/" + Digests.hex(Digests.of(manifest)), manifest, 0644);
        ObjectNode index = TestImage.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode d = index.putArray("manifests").addObject();
        d.put("digest", Digests.of(manifest));
        d.put("size", manifest.length);
        d.putObject("annotations").put("org.opencontainers.image.ref.name", "registry.example/team/app:3");
        layout.file("index.json", TestImage.JSON.writeValueAsBytes(index), 0644);
        ImageStore store = store(tmp.resolve("engine"));
        assertThat(store.importArchive(new ByteArrayInputStream(layout.bytes()))).containsExactly("registry.example/team/app:3");
        assertThat(store.resolve("registry.example/team/app:3").id()).isEqualTo(img.id());
    }

    @Test
    void searchesTheRegistryCatalog() throws Exception {
        multiLayer().push(registry.pusher(), "team/searchable-one", "v1", false);
        ImageStore store = store(tmp.resolve("engine"));
        assertThat(store.search(registry.host(), "searchable")).containsExactly("team/searchable-one");
    }

    @Test
    void hostileLayerFromARegistryIsRefusedAndNothingOutsideIsTouched() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path sentinel = Files.writeString(outside.resolve("sentinel"), "original");
        TestImage img = new TestImage().layer(Tars.tar().symlink("evil", outside.toString())
                .file("evil/sentinel", "pwned").bytes(), Compression.GZIP);
        img.push(registry.pusher(), "test/hostile", "v1", false);
        Path root = tmp.resolve("engine");
        ImageStore store = store(root);
        assertThatThrownBy(() -> await(store.pull(registry.host() + "/test/hostile:v1"))).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("unsafe_layer"));
        assertThat(Files.readString(sentinel)).isEqualTo("original");
        assertThat(listNames(root.resolve("layers"))).isEmpty();
    }

    static List<String> listNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    static byte[] withoutEntry(byte[] tar, String name) throws Exception {
        Tars out = Tars.tar();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            var e = in.getNextEntry();
            while (e != null) {
                if (!e.getName().equals(name)) {
                    out.file(e.getName(), in.readAllBytes(), 0644);
                }
                e = in.getNextEntry();
            }
        }
        return out.bytes();
    }

}
