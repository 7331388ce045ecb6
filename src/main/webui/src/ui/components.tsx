/** Small building blocks shared by every screen. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { MoonIcon, SunIcon } from './icons';
import { setTheme, useTheme } from '../lib/theme';

type ButtonProps = JSX.HTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'danger' | 'ghost' | 'default';
  size?: 'small' | 'normal';
  busy?: boolean;
  block?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
};

export function Button({ variant = 'default', size = 'normal', busy, block, type = 'button', disabled, children, class: className, ...rest }: ButtonProps) {
  const classes = ['btn', variant !== 'default' && `btn-${variant}`, size === 'small' && 'btn-small', block && 'btn-block', className]
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type} class={classes} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined} {...rest}>
      {busy && <span class="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

type FieldProps = {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (aria: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
};

/** A labelled form control with its hint and its error message (shown right under the control). */
export function Field({ id, label, error, hint, children }: FieldProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy })}
      {hint && <div class="hint" id={`${id}-hint`}>{hint}</div>}
      {error && <div class="field-error" id={`${id}-error`} role="alert">{error}</div>}
    </div>
  );
}

export function Alert({ kind = 'error', title, children }: { kind?: 'error' | 'success' | 'warning' | 'info'; title?: string; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div class="alert-body">
        {title && <strong>{title} </strong>}
        {children}
      </div>
    </div>
  );
}

/**
 * What a screen shows until its data is there: "Loading {what}…", or the error with a Retry. One wording on every
 * screen. Renders nothing once the data has loaded.
 */
export function LoadState({ what, error, loaded, onRetry }: { what: string; error: string | null; loaded: boolean; onRetry?: () => void }) {
  if (error) {
    return <Alert title={`Could not load ${what}.`}>{error} {onRetry && <Button size="small" onClick={onRetry}>Retry</Button>}</Alert>;
  }
  return loaded ? null : <p class="muted">Loading {what}…</p>;
}

type DialogProps = { title: string; open: boolean; onClose: () => void; children: ComponentChildren; labelId: string };

/** A modal on the native <dialog>: the browser traps focus, Escape closes, focus returns to the opener. */
export function Dialog({ title, open, onClose, children, labelId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={labelId} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <div class="dialog-header"><h2 id={labelId}>{title}</h2></div>
          <div class="dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}

type PageHeaderProps = { title: string; description?: ComponentChildren; actions?: ComponentChildren; documentTitle?: string };

export function PageHeader({ title, description, actions, documentTitle }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${documentTitle ?? title} · Berth`;
  }, [title, documentTitle]);
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p>{description}</p>}
      </div>
      {actions && <div class="form-actions">{actions}</div>}
    </div>
  );
}

export function ThemeToggle() {
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" class="btn btn-ghost" data-testid="theme-toggle" aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`} onClick={() => setTheme(next)}>
      {theme === 'dark' ? <SunIcon class="nav-icon" /> : <MoonIcon class="nav-icon" />}
      <span class="theme-label">{theme === 'dark' ? 'Light' : 'Dark'}</span>
    </button>
  );
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return 'never';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

type ConfirmProps = {
  title: string;
  /** What will happen, in the user's terms. */
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  open: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/** Asks before an action with consequences (removing, disabling, ending sessions). */
export function ConfirmDialog({ title, children, confirmLabel, danger, open, busy, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog title={title} labelId="confirm-title" open={open} onClose={onCancel}>
      <div class="form">
        <div>{children}</div>
        <div class="form-actions">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>{confirmLabel}</Button>
        </div>
      </div>
    </Dialog>
  );
}
