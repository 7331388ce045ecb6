import { PageHeader } from '../../ui/components';
import { currentPath, href } from '../../lib/router';

/** Rendered for app paths that match no screen (the server sends a real 404 for paths outside the app). */
export function NotFoundPage() {
  return (
    <div class="page" data-testid="not-found">
      <PageHeader title="Page not found" />
      <div class="empty">
        <h2>There is no page at <code>{currentPath()}</code></h2>
        <p>The link may be old or mistyped, or the item it pointed to was removed.</p>
        <p>
          Go back to the <a href={href('/')}>home page</a>, or pick a screen from the navigation.
        </p>
      </div>
    </div>
  );
}
