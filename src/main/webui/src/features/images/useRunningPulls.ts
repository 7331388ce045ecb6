/**
 * Pulls running on the server, whoever started them: listed from GET api/images/pulls (again every few seconds)
 * and followed live through GET api/images/pulls/{id}/events, so every browser on the Images page shows the
 * same bars.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { followPull, imagesApi } from './imagesApi';
import { applyPullEvent, emptyPull, pullFinished, type PullState } from './PullProgress';

const POLL_MS = 3000;
const KEEP_COMPLETED_MS = 4000;

export function useRunningPulls(onFinished: () => void) {
  const [pulls, setPulls] = useState<Record<string, PullState>>({});
  const [error, setError] = useState<string | null>(null);
  const followed = useRef(new Map<string, AbortController>());
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let stopped = false;
    const timers: number[] = [];

    function follow(id: string, reference: string) {
      const controller = new AbortController();
      followed.current.set(id, controller);
      let state = emptyPull(reference, id);
      setPulls((all) => ({ ...all, [id]: state }));
      followPull(id, (event) => {
        state = applyPullEvent(state, event);
        setPulls((all) => ({ ...all, [id]: state }));
      }, controller.signal)
        .then(() => {
          if (stopped) return;
          if (!pullFinished(state)) followed.current.delete(id); // the stream ended early: follow again at the next poll
          if (pullFinished(state)) finished.current();
          if (state.overall?.status === 'complete') {
            timers.push(window.setTimeout(() => setPulls(({ [id]: _gone, ...rest }) => rest), KEEP_COMPLETED_MS));
          }
        })
        .catch((caught) => {
          if (stopped) return;
          followed.current.delete(id); // retried at the next poll while the pull runs
          setError(messageOf(caught));
        });
    }

    async function poll() {
      try {
        const running = await imagesApi.pulls();
        if (stopped) return;
        setError(null);
        for (const pull of running) {
          if (!pull.done && !followed.current.has(pull.id)) follow(pull.id, pull.reference);
        }
      } catch (caught) {
        if (!stopped) setError(messageOf(caught));
      }
    }

    poll();
    const interval = window.setInterval(() => {
      if (document.visibilityState === 'visible') poll();
    }, POLL_MS);
    return () => {
      stopped = true;
      window.clearInterval(interval);
      timers.forEach((t) => window.clearTimeout(t));
      followed.current.forEach((controller) => controller.abort());
      followed.current.clear();
    };
  }, []);

  function dismiss(id: string) {
    setPulls(({ [id]: _gone, ...rest }) => rest);
  }

  return { pulls: Object.values(pulls), error, dismiss };
}
