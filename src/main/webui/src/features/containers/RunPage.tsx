import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { href, navigate } from '../../lib/router';
import { Alert, Button, Field, PageHeader } from '../../ui/components';
import { containersApi } from './containersApi';
import { CopyButton } from './CopyButton';
import { dockerRunLine, emptyForm, formFieldOf, toRequest, type FieldErrors, type RunForm } from './runForm';
import './containers.css';

/** Errors the server sends without a field but that clearly concern one. */
const CODE_FIELDS: Record<string, string> = { executable_not_found: 'cmd', image_not_found: 'image', name_in_use: 'name' };

function useSuggestions() {
  const [images, setImages] = useState<string[]>([]);
  const [networks, setNetworks] = useState<string[]>([]);
  const [volumes, setVolumes] = useState<string[]>([]);
  useEffect(() => {
    containersApi.images().then((list) => setImages(list.flatMap((i) => i.tags).sort()), () => undefined);
    containersApi.networks().then((list) => setNetworks(list.map((n) => n.name).sort()), () => undefined);
    containersApi.volumes().then((list) => setVolumes(list.map((v) => v.name).sort()), () => undefined);
  }, []);
  return { images, networks, volumes };
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ComponentChildren }) {
  return (
    <fieldset class="run-section">
      <legend>{title}</legend>
      {hint && <p class="muted run-section-hint">{hint}</p>}
      {children}
    </fieldset>
  );
}

function RowError({ id, error }: { id: string; error?: string }) {
  return error ? <div class="field-error" id={id} role="alert">{error}</div> : null;
}

export function RunPage() {
  const [form, setForm] = useState<RunForm>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const suggestions = useSuggestions();
  const line = dockerRunLine(form);

  const set = <K extends keyof RunForm>(key: K, value: RunForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setRow = <K extends 'env' | 'ports' | 'volumes'>(key: K, index: number, change: Partial<RunForm[K][number]>) =>
    setForm((f) => ({ ...f, [key]: (f[key] as RunForm[K][number][]).map((row, i) => (i === index ? { ...row, ...change } : row)) }));
  const removeRow = (key: 'env' | 'ports' | 'volumes', index: number) =>
    setForm((f) => ({ ...f, [key]: (f[key] as unknown[]).filter((_, i) => i !== index) }));

  async function submit(event: Event) {
    event.preventDefault();
    setFormError(null);
    const { request, errors: local } = toRequest(form);
    setErrors(local);
    if (!request) {
      document.getElementById(`run-${Object.keys(local)[0].replace(/[[\]]/g, '-')}`)?.focus();
      return;
    }
    setBusy(true);
    let created: { Id: string; Name: string } | null = null;
    try {
      created = await containersApi.create(request);
      await containersApi.start(created.Id);
      navigate(`/containers/${created.Id}`);
    } catch (caught) {
      // a container that was created but could not start is removed, so the form can simply be sent again
      if (created) await containersApi.remove(created.Id, true).catch(() => undefined);
      const field = caught instanceof ApiError ? formFieldOf(caught.field) ?? CODE_FIELDS[caught.code] : undefined;
      const message = messageOf(caught) + (created ? ' The container did not start, so it was removed again; change the form and run it once more.' : '');
      if (field) setErrors({ [field]: message });
      else setFormError(message);
      setBusy(false);
    }
  }

  const fieldError = (name: string) => errors[name];

  return (
    <div class="page page-wide">
      <PageHeader title="Run a container" documentTitle="Run a container"
        description={<>Start a program from an image. Everything but the image is optional; the <code>docker run</code> line shows what the form means.</>} />
      <form class="run-layout" onSubmit={submit} noValidate data-testid="run-form">
        <div class="run-main">
          {formError && <Alert title="The container did not run.">{formError}</Alert>}
          <Section title="Image and command">
            <Field id="run-image" label="Image" error={fieldError('image')}
              hint={suggestions.images.length ? 'Pick one of the images on this machine, or type a reference.' : 'No images here yet: pull or import one on Images first.'}>
              {(aria) => <input {...aria} class="input mono" name="image" list="run-image-suggestions" autoComplete="off"
                placeholder="busybox:latest" value={form.image} onInput={(e) => set('image', e.currentTarget.value)} />}
            </Field>
            <datalist id="run-image-suggestions">{suggestions.images.map((t) => <option key={t} value={t} />)}</datalist>
            <div class="run-grid-2">
              <Field id="run-name" label="Name" error={fieldError('name')} hint="Optional; Berth picks one otherwise.">
                {(aria) => <input {...aria} class="input" name="name" autoComplete="off" placeholder="web" value={form.name}
                  onInput={(e) => set('name', e.currentTarget.value)} />}
              </Field>
              <Field id="run-cmd" label="Command" error={fieldError('cmd')} hint="Overrides the image's command; quote like a shell.">
                {(aria) => <input {...aria} class="input mono" name="command" autoComplete="off" placeholder="sh -c 'echo hello'"
                  value={form.command} onInput={(e) => set('command', e.currentTarget.value)} />}
              </Field>
            </div>
          </Section>

          <Section title="Ports" hint="Every port can be opened through Berth's port links; publishing also opens it on this machine.">
            {form.ports.map((p, i) => (
              <div key={i} class="run-row" data-testid="port-row">
                <div class="run-row-fields run-row-ports">
                  <label class="run-cell"><span>Host address</span>
                    <input class="input mono" placeholder="all" value={p.hostIp} aria-label={`Host address of port ${i + 1}`}
                      onInput={(e) => setRow('ports', i, { hostIp: e.currentTarget.value })} /></label>
                  <label class="run-cell"><span>Host port</span>
                    <input id={`run-ports-${i}-`} class="input mono" inputMode="numeric" placeholder="auto" value={p.hostPort}
                      aria-label={`Host port ${i + 1}`} aria-invalid={errors[`ports[${i}]`] ? 'true' : undefined}
                      onInput={(e) => setRow('ports', i, { hostPort: e.currentTarget.value })} /></label>
                  <label class="run-cell"><span>Container port</span>
                    <input class="input mono" inputMode="numeric" placeholder="80" value={p.containerPort} aria-label={`Container port ${i + 1}`}
                      aria-invalid={errors[`ports[${i}]`] ? 'true' : undefined}
                      onInput={(e) => setRow('ports', i, { containerPort: e.currentTarget.value })} /></label>
                  <label class="run-cell"><span>Protocol</span>
                    <select class="select" value={p.protocol} aria-label={`Protocol of port ${i + 1}`}
                      onChange={(e) => setRow('ports', i, { protocol: e.currentTarget.value as 'tcp' | 'udp' })}>
                      <option value="tcp">TCP</option><option value="udp">UDP</option>
                    </select></label>
                </div>
                <Button size="small" variant="ghost" aria-label={`Remove port ${i + 1}`} onClick={() => removeRow('ports', i)}>Remove</Button>
                <RowError id={`run-ports-${i}-error`} error={errors[`ports[${i}]`]} />
              </div>
            ))}
            <RowError id="run-ports-error" error={errors.ports} />
            <div class="run-row-actions">
              <Button size="small" onClick={() => set('ports', [...form.ports, { hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' }])}>Add port</Button>
              <label class="check"><input type="checkbox" checked={form.publishAll} onChange={(e) => set('publishAll', e.currentTarget.checked)} />
                Publish all ports the image exposes (on free host ports)</label>
            </div>
          </Section>

          <Section title="Environment">
            {form.env.map((row, i) => (
              <div key={i} class="run-row" data-testid="env-row">
                <div class="run-row-fields run-row-env">
                  <input id={`run-env-${i}-`} class="input mono" placeholder="NAME" value={row.key} aria-label={`Name of variable ${i + 1}`}
                    aria-invalid={errors[`env[${i}]`] ? 'true' : undefined} onInput={(e) => setRow('env', i, { key: e.currentTarget.value })} />
                  <span class="run-eq" aria-hidden="true">=</span>
                  <input class="input mono" placeholder="value" value={row.value} aria-label={`Value of variable ${i + 1}`}
                    onInput={(e) => setRow('env', i, { value: e.currentTarget.value })} />
                </div>
                <Button size="small" variant="ghost" aria-label={`Remove variable ${i + 1}`} onClick={() => removeRow('env', i)}>Remove</Button>
                <RowError id={`run-env-${i}-error`} error={errors[`env[${i}]`]} />
              </div>
            ))}
            <RowError id="run-env-error" error={errors.env} />
            <div class="run-row-actions">
              <Button size="small" onClick={() => set('env', [...form.env, { key: '', value: '' }])}>Add variable</Button>
            </div>
          </Section>

          <Section title="Volumes" hint="A named volume keeps data when the container is removed; leave the name empty for an anonymous one.">
            {form.volumes.map((v, i) => (
              <div key={i} class="run-row" data-testid="volume-row">
                <div class="run-row-fields run-row-volumes">
                  <input class="input mono" placeholder="volume name" list="run-volume-suggestions" value={v.source} aria-label={`Volume ${i + 1}`}
                    onInput={(e) => setRow('volumes', i, { source: e.currentTarget.value })} />
                  <span class="run-eq" aria-hidden="true">→</span>
                  <input id={`run-volumes-${i}-`} class="input mono" placeholder="/data" value={v.target} aria-label={`Path of volume ${i + 1} in the container`}
                    aria-invalid={errors[`volumes[${i}]`] ? 'true' : undefined} onInput={(e) => setRow('volumes', i, { target: e.currentTarget.value })} />
                  <label class="check"><input type="checkbox" checked={v.readOnly} onChange={(e) => setRow('volumes', i, { readOnly: e.currentTarget.checked })} />read-only</label>
                </div>
                <Button size="small" variant="ghost" aria-label={`Remove volume ${i + 1}`} onClick={() => removeRow('volumes', i)}>Remove</Button>
                <RowError id={`run-volumes-${i}-error`} error={errors[`volumes[${i}]`]} />
              </div>
            ))}
            <datalist id="run-volume-suggestions">{suggestions.volumes.map((n) => <option key={n} value={n} />)}</datalist>
            <RowError id="run-volumes-error" error={errors.volumes} />
            <div class="run-row-actions">
              <Button size="small" onClick={() => set('volumes', [...form.volumes, { source: '', target: '', readOnly: false }])}>Add volume</Button>
            </div>
          </Section>

          <Section title="Network and limits">
            <div class="run-grid-4">
              <Field id="run-network" label="Network" error={fieldError('network')} hint="Default: Berth's bridge.">
                {(aria) => <input {...aria} class="input mono" list="run-network-suggestions" placeholder="bridge" value={form.network}
                  onInput={(e) => set('network', e.currentTarget.value)} />}
              </Field>
              <Field id="run-memory" label="Memory" error={fieldError('memory')} hint="e.g. 256m, 1g">
                {(aria) => <input {...aria} class="input mono" placeholder="no limit" value={form.memory} onInput={(e) => set('memory', e.currentTarget.value)} />}
              </Field>
              <Field id="run-nanoCpus" label="CPUs" error={fieldError('nanoCpus')} hint="e.g. 0.5, 2">
                {(aria) => <input {...aria} class="input mono" inputMode="decimal" placeholder="no limit" value={form.cpus} onInput={(e) => set('cpus', e.currentTarget.value)} />}
              </Field>
              <Field id="run-pidsLimit" label="Processes" error={fieldError('pidsLimit')} hint="Most at once">
                {(aria) => <input {...aria} class="input mono" inputMode="numeric" placeholder="no limit" value={form.pids} onInput={(e) => set('pids', e.currentTarget.value)} />}
              </Field>
            </div>
            <datalist id="run-network-suggestions">{suggestions.networks.map((n) => <option key={n} value={n} />)}</datalist>
          </Section>

          <Section title="Behaviour">
            <div class="run-grid-2">
              <Field id="run-restart" label="Restart policy" error={fieldError('restart')} hint="What Berth does when the program ends.">
                {(aria) => (
                  <select {...aria} class="select" value={form.restart} onChange={(e) => set('restart', e.currentTarget.value as RunForm['restart'])}>
                    <option value="no">Never restart</option>
                    <option value="on-failure">On failure (non-zero exit)</option>
                    <option value="unless-stopped">Always, unless stopped by hand</option>
                    <option value="always">Always</option>
                  </select>
                )}
              </Field>
              {form.restart === 'on-failure' && (
                <Field id="run-restart-retries" label="Give up after" hint="Restarts at most; empty for no limit.">
                  {(aria) => <input {...aria} class="input mono" inputMode="numeric" placeholder="no limit" value={form.restartRetries}
                    onInput={(e) => set('restartRetries', e.currentTarget.value)} />}
                </Field>
              )}
            </div>
            <div class="run-checks">
              <label class="check"><input type="checkbox" checked={form.tty} onChange={(e) => set('tty', e.currentTarget.checked)} />
                Give it a terminal (TTY) that people can attach to</label>
              <label class="check"><input type="checkbox" checked={form.interactive} onChange={(e) => set('interactive', e.currentTarget.checked)} />
                Keep its input open (type into it)</label>
              <label class="check"><input type="checkbox" checked={form.autoRemove} onChange={(e) => set('autoRemove', e.currentTarget.checked)} />
                Remove it when it exits</label>
            </div>
          </Section>
        </div>

        <aside class="run-aside" aria-label="Equivalent command">
          <div class="card run-preview">
            <div class="run-preview-head">
              <h2>docker run</h2>
              <CopyButton text={() => line} label="Copy" />
            </div>
            <pre class="command-line" data-testid="docker-run"><code>{line}</code></pre>
            <p class="muted run-preview-hint">The same container from a shell with Docker; it updates as you type.</p>
            <div class="form-actions">
              <a class="btn" href={href('/containers')}>Cancel</a>
              <Button type="submit" variant="primary" busy={busy}>Run container</Button>
            </div>
          </div>
        </aside>
      </form>
    </div>
  );
}
