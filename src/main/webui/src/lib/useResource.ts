/** Loads something from the API for a screen: data, the error message, and a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf } from './api';

export type Resource<T> = {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
  /** Replaces the data locally (after a change the server confirmed). */
  setData: (update: T | ((previous: T | null) => T)) => void;
};

export function useResource<T>(load: () => Promise<T>, deps: unknown[] = []): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await load());
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setLoading(false);
    }
  }, deps);

  useEffect(() => {
    reload();
  }, [reload]);

  return { data, error, loading, reload, setData: setData as Resource<T>['setData'] };
}
