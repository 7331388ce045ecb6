package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.junit.QuarkusTest;

/** Admin > Users in a real Chromium, with a second browser context playing the new user. */
@QuarkusTest
class AdminUsersTest extends BrowserTest {

    @Test
    void adminCreatesAUserWhoSignsInWithoutAdminAndIsRefusedOnceDisabled() throws Exception {
        String username = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "first-password-" + username;
        Page admin = loginAsAdmin(newContext());
        admin.navigate(url("/admin/users"));

        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New user")).click();
        Locator form = admin.getByTestId("create-user-form");
        form.getByLabel("Username").fill(username);
        form.getByLabel("Display name").fill("Ada Example");
        form.getByLabel("Initial password").fill(password);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();

        assertThat(admin.getByTestId("notice")).containsText("User " + username + " created");
        Locator row = userRow(admin, username);
        assertThat(row).containsText("Ada Example");
        assertThat(row).containsText("Active");
        screenshot(admin, "admin-users");

        // the new user, in their own browser profile, signs in and has no Admin entry nor access
        Page user = login(newContext(), username, password);
        assertThat(mainNav(user).getByRole(AriaRole.LINK)).hasText(new String[] {
                "Home", "Images", "Containers", "Terminals", "Classes", "Networks", "Volumes" });
        assertThat(user.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Add the people who use it"))).hasCount(0);
        user.navigate(url("/admin/users"));
        assertThat(user.getByTestId("forbidden")).containsText("This page is for administrators");

        // disabled: their next sign-in is refused with the server's message
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable")).click();
        Locator confirm = admin.getByRole(AriaRole.DIALOG);
        assertThat(confirm).containsText("Disable " + username + "?");
        confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable")).click();
        assertThat(confirm).isHidden();
        assertThat(row).containsText("Disabled");
        assertThat(admin.getByTestId("notice")).containsText(username + " is disabled");
        // their open console notices at the next step and sends them to sign in, saying why
        mainNav(user).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Images")).click();
        assertThat(user).hasURL(Pattern.compile("/login\\?next=%2Fimages$"));
        assertThat(user.getByTestId("session-ended")).containsText("Your session ended");
        Page refused = newContext().newPage();
        refused.navigate(url("/login"));
        submitLogin(refused, username, password);
        assertThat(refused.getByTestId("login-error")).containsText("is disabled");
        assertThat(refused).hasURL(Pattern.compile("/login$"));

        // enabled again: they can sign in
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable")).click();
        assertThat(row).containsText("Active");
        login(newContext(), username, password);
    }

    @Test
    void validationErrorsAppearAtTheFieldTheyConcern() {
        Page admin = loginAsAdmin(newContext());
        admin.navigate(url("/admin/users"));

        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New user")).click();
        Locator form = admin.getByTestId("create-user-form");
        form.getByLabel("Username").fill("Not A Valid Name!");
        form.getByLabel("Initial password").fill("long-enough-password");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();

        assertThat(form.locator("#new-username-error")).isVisible();
        assertThat(form.getByLabel("Username")).hasAttribute("aria-invalid", "true");

        form.getByLabel("Username").fill("e2e-" + UUID.randomUUID().toString().substring(0, 8));
        form.getByLabel("Initial password").fill("short");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();

        assertThat(form.locator("#new-password-error")).containsText("at least");
        assertThat(form.locator("#new-username-error")).hasCount(0);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
        assertThat(form).isHidden();
    }

    @Test
    void adminChangesARoleAndResetsAPassword() {
        String username = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Page admin = loginAsAdmin(newContext());
        admin.navigate(url("/admin/users"));
        admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New user")).click();
        Locator form = admin.getByTestId("create-user-form");
        form.getByLabel("Username").fill(username);
        form.getByLabel("Initial password").fill("first-password-123");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create user")).click();
        Locator row = userRow(admin, username);

        row.getByLabel("Role of " + username).selectOption("admin");
        assertThat(admin.getByTestId("notice")).containsText(username + " is now an admin");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reset password")).click();
        Locator resetDialog = admin.getByRole(AriaRole.DIALOG);
        assertThat(resetDialog).containsText("Reset password of " + username);
        resetDialog.getByLabel("New password").fill("second-password-456");
        resetDialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reset password")).click();
        assertThat(admin.getByTestId("notice")).containsText("Password of " + username + " reset");

        // the promoted user signs in with the new password, sees Admin, and is asked to choose their own password
        Page user = login(newContext(), username, "second-password-456");
        assertThat(mainNav(user).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Admin"))).isVisible();
        assertThat(user.getByTestId("must-change-password")).isVisible();
        user.getByTestId("must-change-password").getByRole(AriaRole.BUTTON).click();
        Locator dialog = user.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Current password").fill("second-password-456");
        dialog.getByLabel("New password", new Locator.GetByLabelOptions().setExact(true)).fill("third-password-789");
        dialog.getByLabel("New password, again").fill("third-password-789");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change password")).click();
        assertThat(dialog).isHidden();
        assertThat(user.getByText("Your password was changed.")).isVisible();
        assertThat(user.getByTestId("must-change-password")).hasCount(0);

        // and back to a plain user, which also leaves the suite with a single admin (AccountApiTest relies on it)
        row.getByLabel("Role of " + username).selectOption("user");
        assertThat(admin.getByTestId("notice")).containsText(username + " is now a user");
        assertThat(row.getByLabel("Role of " + username)).hasValue("user");
    }

    private static Locator userRow(Page page, String username) {
        return page.locator("tr[data-username='" + username + "']");
    }
}
