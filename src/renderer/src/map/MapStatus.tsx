// What a map shows before it can draw: why it could not start (typically no WebGL), or that the
// offline basemap is still loading.
import type { ApiErrorDto } from '../../../shared/api';
import { ErrorNotice, LoadingState } from '../components/StatusMessage';

export function MapStatus({ ready, error }: { ready: boolean; error: ApiErrorDto | null }) {
  if (error) {
    return (
      <div className="map-overlay-center">
        <ErrorNotice error={error} context="The map could not start" />
      </div>
    );
  }
  if (!ready) {
    return (
      <div className="map-overlay-center">
        <LoadingState label="Loading the offline basemap…" />
      </div>
    );
  }
  return null;
}
