import type { Screen } from '../../app/screens';
import { HomeIcon } from '../../ui/icons';
import { PageHeader } from '../../ui/components';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';

function HomePage() {
  const session = useSession();
  const isAdmin = session?.role === 'admin';
  return (
    <div class="page" data-testid="home">
      <PageHeader
        documentTitle="Home"
        title={`Welcome${session ? `, ${session.displayName || session.username}` : ''}`}
        description="Berth runs containers on this machine and lets several people share their terminals from the browser."
      />
      <section class="card" aria-labelledby="what-heading">
        <h2 id="what-heading">What Berth is</h2>
        <p>
          Berth is a self-hosted console for containers. It has its own container engine — no Docker daemon — so
          one process pulls images from registries, runs containers with published ports, and streams their
          terminals to any number of browsers. Everyone watching a shared terminal sees the same screen; the owner
          decides who may type.
        </p>
        <p class="muted">
          It is built for classes, workshops and small teams: one machine, accounts for the people using it, and
          nothing to install on their side but a browser.
        </p>
      </section>

      <section class="section" aria-labelledby="first-steps-heading">
        <h2 id="first-steps-heading">First steps</h2>
        <ol class="steps">
          <li class="step">
            <span class="step-number" aria-hidden="true">1</span>
            <h3>Pull an image</h3>
            <p>Fetch an image from a registry, for example <code>alpine:3.20</code> or <code>nginx:1.27</code>.</p>
            <a class="btn" href={href('/images')}>Go to Images</a>
          </li>
          <li class="step">
            <span class="step-number" aria-hidden="true">2</span>
            <h3>Run a container</h3>
            <p>Start a container from that image; publish a port to open its web page through Berth.</p>
            <a class="btn" href={href('/containers')}>Go to Containers</a>
          </li>
          <li class="step">
            <span class="step-number" aria-hidden="true">3</span>
            <h3>Open and share a terminal</h3>
            <p>Open a shell in the container and share it: others watch live, or drive when you hand them control.</p>
            <a class="btn" href={href('/terminals')}>Go to Terminals</a>
          </li>
          {isAdmin && (
            <li class="step">
              <span class="step-number" aria-hidden="true">4</span>
              <h3>Add the people who use it</h3>
              <p>Create an account for each person. Give admin rights only to those who manage the machine.</p>
              <a class="btn" href={href('/admin/users')}>Manage users</a>
            </li>
          )}
        </ol>
      </section>

      <section class="section card" aria-labelledby="scripts-heading">
        <h2 id="scripts-heading">For scripts</h2>
        <p>
          Everything the console does goes through Berth’s REST API under <code>/api</code>. It is described at{' '}
          <a href="q/openapi" rel="external">/q/openapi</a>; scripts authenticate with HTTP Basic using a Berth
          account. Health is at <a href="q/health" rel="external">/q/health</a> and Prometheus metrics at{' '}
          <a href="q/metrics" rel="external">/q/metrics</a>.
        </p>
      </section>
    </div>
  );
}

export const homeScreens: Screen[] = [
  { path: '/', title: 'Home', component: HomePage, nav: { label: 'Home', icon: HomeIcon, order: 0 } },
];
