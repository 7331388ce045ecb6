import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { Alert, Button, Dialog } from '../../ui/components';
import { volumesApi, type Volume } from './volumesApi';

/**
 * Asks before removing a volume. When the server refuses because containers use it, its message is shown in
 * the dialog and a second, explicit step removes it anyway (force).
 */
export function RemoveVolumeDialog({ volume, onClose, onRemoved }: { volume: Volume | null; onClose: () => void; onRemoved: (volume: Volume) => void }) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; inUse: boolean } | null>(null);

  useEffect(() => {
    setRefusal(null);
    setBusy(false);
  }, [volume?.name]);

  async function remove(force: boolean) {
    if (!volume) return;
    setBusy(true);
    try {
      await volumesApi.remove(volume.name, force);
      onRemoved(volume);
    } catch (caught) {
      setRefusal({ message: messageOf(caught), inUse: caught instanceof ApiError && caught.status === 409 });
    } finally {
      setBusy(false);
    }
  }

  const name = volume ? (volume.anonymous ? volume.name.slice(0, 12) : volume.name) : '';
  return (
    <Dialog title={`Remove volume ${name}?`} labelId="remove-volume-title" open={volume !== null} onClose={onClose}>
      <div class="form" data-testid="remove-volume">
        {refusal ? (
          <Alert title={refusal.inUse ? 'The volume is in use.' : 'Could not remove the volume.'}>{refusal.message}</Alert>
        ) : (
          <p>Its data is deleted for good. Berth refuses while a container uses it.</p>
        )}
        {refusal?.inUse && <p>Removing it anyway deletes the data under those containers; they will fail to start again.</p>}
        <div class="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          {refusal?.inUse
            ? <Button variant="danger" busy={busy} onClick={() => remove(true)}>Remove anyway</Button>
            : <Button variant="danger" busy={busy} onClick={() => remove(false)}>Remove</Button>}
        </div>
      </div>
    </Dialog>
  );
}
