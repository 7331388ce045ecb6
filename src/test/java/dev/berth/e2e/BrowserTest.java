package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Shared set-up for browser end-to-end tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright, headless,
 * never downloading a browser. Subclasses are {@code @QuarkusTest}s; they open contexts with {@link #newContext()}
 * (one per simulated person) and sign in with {@link #login}. Contexts are closed after each test.
 */
public abstract class BrowserTest {
    /** The README screenshots live here (relative to the project directory, where Maven runs the tests). */
    protected static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    protected static final int WIDTH = 1280;
    protected static final int HEIGHT = 800;

    /**
     * An init script that tracks the page's WebSockets ({@code window.__sockets}) and can hold reconnects back: while
     * {@code window.__holdSockets} is true, new sockets go to a closed loopback port. Tests close the sockets to
     * simulate a dropped network.
     */
    protected static final String SOCKET_SPY = """
            (() => {
              const Native = window.WebSocket;
              window.__sockets = [];
              window.__holdSockets = false;
              class Tracked extends Native {
                constructor(url, protocols) {
                  super(window.__holdSockets ? 'ws://127.0.0.1:9/held' : url, protocols);
                  window.__sockets.push(this);
                }
              }
              window.WebSocket = Tracked;
            })();
            """;

    private static final String CHROMIUM = System.getProperty("berth.e2e.chromium", "/usr/bin/chromium");
    private static final Map<String, String> NO_DOWNLOAD = Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

    private static Playwright playwright;
    private static Browser browser;

    private final List<BrowserContext> contexts = new ArrayList<>();

    @TestHTTPResource("/")
    protected URL baseUrl;

    @BeforeAll
    static void launchBrowser() {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium (apt-get install -y chromium),"
                    + " listed in deploy/packages/test.txt");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(NO_DOWNLOAD));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(CHROMIUM))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    /** Called by {@link FailureScreenshots} when a test failed: one PNG per open page in target/e2e-failures/. */
    void captureFailure(String testName) {
        Path dir = Path.of("target", "e2e-failures");
        int index = 0;
        for (BrowserContext context : contexts) {
            for (Page page : context.pages()) {
                try {
                    Files.createDirectories(dir);
                    Path file = dir.resolve(testName + "-" + (index++) + ".png");
                    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
                    System.err.println("Browser test failed; page " + page.url() + " saved to " + file.toAbsolutePath());
                } catch (RuntimeException | java.io.IOException e) {
                    System.err.println("Could not save a failure screenshot of " + page.url() + ": " + e);
                }
            }
        }
    }

    /** A fresh browser profile (own cookies and storage) at 1280x800, light system theme, English, UTC. */
    protected BrowserContext newContext() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(base())
                .setViewportSize(WIDTH, HEIGHT)
                .setColorScheme(ColorScheme.LIGHT)
                .setLocale("en-US")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(15_000);
        contexts.add(context);
        return context;
    }

    /** The app's root URL with a trailing slash, e.g. http://localhost:8081/. */
    protected String base() {
        String url = baseUrl.toString();
        return url.endsWith("/") ? url : url + "/";
    }

    protected String url(String appPath) {
        return base() + appPath.replaceFirst("^/", "");
    }

    protected static String adminUsername() {
        return ConfigProvider.getConfig().getOptionalValue("berth.admin.username", String.class).orElse("admin");
    }

    protected static String adminPassword() {
        return ConfigProvider.getConfig().getValue("berth.admin.initial-password", String.class);
    }

    /** Fills and submits the login form on the current page (which must show it). */
    protected static void submitLogin(Page page, String username, String password) {
        page.getByLabel("Username").fill(username);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    }

    /** Opens the login page in a new page of the context, signs in and waits for the console. */
    protected Page login(BrowserContext context, String username, String password) {
        Page page = context.newPage();
        page.navigate(url("/login"));
        submitLogin(page, username, password);
        assertThat(page.getByTestId("user-menu")).isVisible();
        return page;
    }

    protected Page loginAsAdmin(BrowserContext context) {
        return login(context, adminUsername(), adminPassword());
    }

    /** The main navigation landmark. */
    protected static com.microsoft.playwright.Locator mainNav(Page page) {
        return page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"));
    }

    /** Writes a screenshot of the viewport to docs/screenshots/{name}.png (replacing the previous one). */
    protected static Path screenshot(Page page, String name) throws java.io.IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setAnimations(
                com.microsoft.playwright.options.ScreenshotAnimations.DISABLED));
        return file;
    }
}
