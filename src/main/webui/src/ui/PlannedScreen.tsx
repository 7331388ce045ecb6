/**
 * The honest empty state of a screen whose browser UI is not in this build yet: what the screen is for,
 * and what a user can do right now (the REST endpoints this server really offers for the area, read from
 * its OpenAPI document).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { PageHeader } from './components';

type Endpoint = { method: string; path: string; summary?: string };

let openApiPaths: Promise<Record<string, Record<string, { summary?: string }>>> | null = null;

function loadOpenApi() {
  openApiPaths ??= fetch('q/openapi?format=json', { headers: { Accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : { paths: {} }))
    .then((document: { paths?: Record<string, Record<string, { summary?: string }>> }) => document.paths ?? {})
    .catch(() => ({}));
  return openApiPaths;
}

function useEndpoints(prefix: string): Endpoint[] | null {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  useEffect(() => {
    let live = true;
    loadOpenApi().then((paths) => {
      if (!live) return;
      const found: Endpoint[] = [];
      for (const [path, operations] of Object.entries(paths)) {
        if (path !== prefix && !path.startsWith(prefix + '/')) continue;
        for (const [method, operation] of Object.entries(operations)) {
          if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
            found.push({ method: method.toUpperCase(), path, summary: operation?.summary });
          }
        }
      }
      setEndpoints(found);
    });
    return () => {
      live = false;
    };
  }, [prefix]);
  return endpoints;
}

type Props = {
  title: string;
  description: string;
  /** What the screen will let people do. */
  capabilities: string[];
  /** The API prefix for this area, e.g. "/api/images". */
  apiPrefix: string;
  children?: ComponentChildren;
};

export function PlannedScreen({ title, description, capabilities, apiPrefix, children }: Props) {
  const endpoints = useEndpoints(apiPrefix);
  const firstGet = endpoints?.find((endpoint) => endpoint.method === 'GET' && !endpoint.path.includes('{'));
  return (
    <div class="page">
      <PageHeader title={title} description={description} />
      <section class="empty" aria-labelledby="planned-heading" data-testid="planned-screen">
        <h2 id="planned-heading">This screen is not in this build of the console yet</h2>
        <p>When it lands, the {title} screen will let you:</p>
        <ul>
          {capabilities.map((capability) => <li key={capability}>{capability}</li>)}
        </ul>
        <h3>What you can do now</h3>
        {endpoints === null && <p class="muted">Looking up what this server offers…</p>}
        {endpoints !== null && endpoints.length > 0 && (
          <>
            <p>This server already offers these REST endpoints under <code>{apiPrefix}</code>:</p>
            <ul class="endpoint-list" data-testid="endpoints">
              {endpoints.map((endpoint) => (
                <li key={endpoint.method + endpoint.path}>
                  <span class="endpoint-method">{endpoint.method}</span> <code>{endpoint.path}</code>
                  {endpoint.summary && <span class="muted"> — {endpoint.summary}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
        {endpoints !== null && endpoints.length === 0 && (
          <p>This server does not offer endpoints under <code>{apiPrefix}</code> yet either.</p>
        )}
        {children}
        <p>
          The full API is described at <a href="q/openapi" rel="external">/q/openapi</a>. Scripts sign in with
          HTTP Basic using a Berth account
          {firstGet ? <>, for example <code>curl -u {'<user>'} {new URL(firstGet.path.slice(1), document.baseURI).href}</code></> : null}.
        </p>
      </section>
    </div>
  );
}
