/** /classes: the trainer's classes, and a new class from a template. */
import { useState } from 'preact/hooks';
import { href, navigate } from '../../lib/router';
import { useFormError } from '../../lib/useFormError';
import { useResource } from '../../lib/useResource';
import { Alert, Button, Dialog, Field, formatDate, LoadState, PageHeader } from '../../ui/components';
import { classesApi, type ClassWithLink } from './classesApi';
import { rememberLink } from './joinLinks';

export function ClassesPage() {
  const { data: classes, error, reload } = useResource(classesApi.list);
  const [creating, setCreating] = useState(false);

  return (
    <div class="page">
      <PageHeader
        title="Classes"
        description="Hands-on training: every attendee who opens the class link gets their own container and terminal; you watch them all and help."
        actions={<Button variant="primary" onClick={() => setCreating(true)}>New class</Button>}
      />
      <LoadState what="classes" error={error} loaded={classes !== null} onRetry={reload} />
      {classes && classes.length === 0 && (
        <div class="empty" data-testid="classes-empty">
          <h2>No classes yet</h2>
          <p>Create a class from an image on this host (for example <span class="mono">busybox</span> with <span class="mono">sh</span>),
            then hand out its one link. Each attendee lands in their own terminal; you see every terminal live.</p>
          <Button variant="primary" onClick={() => setCreating(true)}>New class</Button>
        </div>
      )}
      {classes && classes.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="classes-table">
            <caption class="visually-hidden">Classes</caption>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">Image</th>
                <th scope="col">Attendees</th>
                <th scope="col">Idle time-out</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><a href={href(`/classes/${c.id}`)}>{c.name}</a>
                    <div class="muted" style={{ fontSize: 'var(--text-xs)', fontWeight: 400 }}>by {c.trainer}</div></th>
                  <td class="mono">{c.image}{c.cmd.length > 0 && <span class="muted"> {c.cmd.join(' ')}</span>}</td>
                  <td>{c.attendees}</td>
                  <td>{Math.round(c.ttlSeconds / 60)} min</td>
                  <td class="nowrap">{formatDate(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewClassDialog open={creating} onClose={() => setCreating(false)} onCreated={(created) => {
        rememberLink(created);
        navigate(`/classes/${created.classroom.id}`);
      }} />
    </div>
  );
}

function NewClassDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: ClassWithLink) => void }) {
  const [name, setName] = useState('');
  const [image, setImage] = useState('');
  const [command, setCommand] = useState('sh');
  const [ports, setPorts] = useState('');
  const [memory, setMemory] = useState('256');
  const [minutes, setMinutes] = useState('60');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['name', 'image', 'ttlSeconds', 'memoryBytes']);

  function close() {
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await classesApi.create({
        name: name.trim(),
        image: image.trim(),
        cmd: command.trim() ? command.trim().split(/\s+/) : undefined,
        ports: ports.trim() ? ports.trim().split(/[\s,]+/) : undefined,
        memoryBytes: memory.trim() ? Math.round(Number(memory) * 1024 * 1024) : undefined,
        ttlSeconds: Math.round(Number(minutes) * 60),
      });
      close();
      onCreated(created);
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  }

  return (
    <Dialog title="New class" labelId="new-class-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="new-class-form">
        {formError && <Alert>{formError}</Alert>}
        <Field id="class-name" label="Name" error={fieldError('name')} hint="What attendees see when they open the link.">
          {(aria) => <input {...aria} class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field id="class-image" label="Image" error={fieldError('image')} hint="An image on this host; every attendee gets a container of it.">
          {(aria) => <input {...aria} class="input mono" value={image} placeholder="busybox" onInput={(e) => setImage(e.currentTarget.value)} />}
        </Field>
        <Field id="class-command" label="Command" hint="Runs with a terminal; empty: the image's own command.">
          {(aria) => <input {...aria} class="input mono" value={command} onInput={(e) => setCommand(e.currentTarget.value)} />}
        </Field>
        <Field id="class-ports" label="Ports" hint="Container ports to publish, e.g. 80 8080 (optional).">
          {(aria) => <input {...aria} class="input mono" value={ports} onInput={(e) => setPorts(e.currentTarget.value)} />}
        </Field>
        <div class="form-row">
          <Field id="class-memory" label="Memory per attendee (MiB)" error={fieldError('memoryBytes')}>
            {(aria) => <input {...aria} class="input" inputMode="numeric" value={memory} onInput={(e) => setMemory(e.currentTarget.value)} />}
          </Field>
          <Field id="class-ttl" label="Idle time-out (minutes)" error={fieldError('ttlSeconds')} hint="Workspaces go after this long without activity.">
            {(aria) => <input {...aria} class="input" inputMode="numeric" value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />}
          </Field>
        </div>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Create class</Button>
        </div>
      </form>
    </Dialog>
  );
}
