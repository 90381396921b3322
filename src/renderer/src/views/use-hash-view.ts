// The current view lives in the URL hash (#/peers), so a reload or a shared link opens the same
// view and the query string (the console access token) is left alone.
import { useCallback, useEffect, useState } from 'react';
import { viewFromHash, type ViewId } from './view-registry';

export function useHashView(): [ViewId, (view: ViewId) => void] {
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  const navigate = useCallback((next: ViewId) => {
    if (window.location.hash !== `#/${next}`) window.location.hash = `/${next}`;
    setView(next);
  }, []);
  return [view, navigate];
}
